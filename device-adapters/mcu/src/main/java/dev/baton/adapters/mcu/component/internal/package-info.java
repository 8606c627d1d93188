/**
 * How the {@code firmware} component works: back-end registry, the serial and UF2 back-ends, target resolution,
 * flash records, port locks, progress events, application checks. Nothing here is API.
 */
package dev.baton.adapters.mcu.component.internal;
