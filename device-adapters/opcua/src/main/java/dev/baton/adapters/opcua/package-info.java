/** Discovery handler `opcua`; see docs/hardware/opcua.md. */
package dev.baton.adapters.opcua;
