/**
 * Discovery handler {@code usb}: USB devices from Linux sysfs and serial ports through jSerialComm; see
 * docs/hardware/usb.md for the configuration keys, the device properties and the {@code match} syntax.
 *
 * <p>The API is the {@linkplain dev.baton.adapters.usb.UsbDiscoveryHandlerFactory factory} the agent finds through
 * {@link java.util.ServiceLoader}, the typed {@linkplain dev.baton.adapters.usb.UsbDiscoveryConfig configuration},
 * and the udev-style {@linkplain dev.baton.adapters.usb.UdevMatch match expressions}; the rest is {@code internal}.
 */
package dev.baton.adapters.usb;
