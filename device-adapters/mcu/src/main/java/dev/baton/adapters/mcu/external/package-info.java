/**
 * Flashing through external tools installed on the host: OpenOCD, dfu-util, avrdude, esptool and pyOCD.
 *
 * <ul>
 *   <li>{@link dev.baton.adapters.mcu.external.ExternalFlashers}: a flasher by tool ID, with settings read from
 *       the firmware component's JSON properties.
 *   <li>{@link dev.baton.adapters.mcu.external.ExternalFlasher}: {@code flash(image, listener)} → the module's
 *       {@link dev.baton.adapters.mcu.FlashReport}, or a {@link dev.baton.adapters.mcu.FlashException} whose cause
 *       is an {@link dev.baton.adapters.mcu.external.ExternalToolFailure} with the precise reason.
 *   <li>One settings record per tool, validated when made.
 * </ul>
 *
 * <p>See "External flashing tools" in docs/hardware/mcu.md.
 */
package dev.baton.adapters.mcu.external;
