/** Discovery handler `onvif`; see docs/hardware/onvif.md. */
package dev.baton.adapters.onvif;
