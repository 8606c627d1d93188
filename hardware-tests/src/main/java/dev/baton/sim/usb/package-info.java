/**
 * A simulated Linux USB sysfs tree ({@link dev.baton.sim.usb.UsbFixtureTree}) with realistic devices
 * ({@link dev.baton.sim.usb.UsbFixtureDevice}): written to a directory, changed to simulate plugging and
 * unplugging, and read by the {@code usb} discovery handler through its {@code sysfsRoot} key. Used by tests and
 * the demo, never by production code.
 */
package dev.baton.sim.usb;
