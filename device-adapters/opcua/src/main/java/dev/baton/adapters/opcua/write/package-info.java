/**
 * Component kind {@code opcua-write}: values kept on an OPC UA server's variables as desired state, written with one
 * Write (OPC UA Part 4 §5.10.4), confirmed by reading them back, and checked for drift by reading them again. The
 * server is named by URL or by the id of a discovered {@code opcua-server} device. Properties:
 * {@link dev.baton.adapters.opcua.write.OpcUaWriteConfig}; see docs/components.md.
 */
package dev.baton.adapters.opcua.write;
