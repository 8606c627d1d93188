/**
 * How the flashers work: the AN3155 and STK500v1 back-ends, their chip tables, the jSerialComm link and the image
 * parsers. Nothing here is API; use {@link dev.baton.adapters.mcu.FlasherFactory} and
 * {@link dev.baton.adapters.mcu.FirmwareImage}.
 */
package dev.baton.adapters.mcu.internal;
