/**
 * Native serial flashers for microcontroller bootloaders, and the firmware images they write.
 *
 * <ul>
 *   <li>{@link dev.baton.adapters.mcu.Flasher}: identify the chip, then erase, write and verify an image; back-ends
 *       {@code stm32-uart} (ST AN3155) and {@code avr-optiboot} (STK500v1), found through
 *       {@link dev.baton.adapters.mcu.FlasherFactory}.
 *   <li>{@link dev.baton.adapters.mcu.FirmwareImage}: raw binary at a base address, Intel HEX, UF2.
 *   <li>{@link dev.baton.adapters.mcu.SerialLink}: a serial port over jSerialComm, with
 *       {@link dev.baton.adapters.mcu.ResetLines} for DTR/RTS.
 * </ul>
 *
 * <p>See docs/hardware/mcu.md for options and safety rules.
 */
package dev.baton.adapters.mcu;
