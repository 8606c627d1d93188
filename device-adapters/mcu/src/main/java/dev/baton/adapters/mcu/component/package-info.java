/**
 * The {@code firmware} component kind: {@link dev.baton.adapters.mcu.component.FirmwareProvider} flashes an image
 * from the hub's artifact store onto the microcontrollers a component targets, through a
 * {@link dev.baton.adapters.mcu.component.FirmwareBackend} ({@code stm32-uart}, {@code avr-optiboot}, {@code uf2},
 * external tools), and reports per device what was flashed and verified.
 *
 * <p>See docs/hardware/mcu.md, "The firmware component".
 */
package dev.baton.adapters.mcu.component;
