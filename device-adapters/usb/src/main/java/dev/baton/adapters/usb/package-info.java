/** Discovery handler `usb`; see docs/hardware/usb.md. */
package dev.baton.adapters.usb;
