package dev.baton.sim.opcua;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;

/**
 * The simulator's address space: below the Objects folder, {@code folders} folders {@code Line001}, {@code Line002},
 * … each holding {@code variablesPerFolder} read-only Double variables {@code Tag0001}, … (node ids
 * {@code Line001/Tag0001}; value {@code line * 1000 + tag}), and an object {@code Controls} with a method
 * {@code Ping}. That is {@code folders * (1 + variablesPerFolder) + 2} nodes. With writable settings, a folder
 * {@code Settings} adds {@value #SETTINGS_NODES} nodes: variables that clients may write, {@code Settings/Speed}
 * (Int32, 0), {@code Settings/Setpoint} (Double, 20.0), {@code Settings/Mode} (String, "auto"), {@code
 * Settings/Enabled} (Boolean, false), and the read-only {@code Settings/SerialNumber} (String, "SIM-0001").
 */
final class SimulatedPlantNamespace extends ManagedNamespaceWithLifecycle {

    /** The Settings folder and its five variables. */
    static final int SETTINGS_NODES = 6;

    static final String SETTINGS = "Settings";

    /** Samples the variables for clients that subscribe to them. */
    private final SubscriptionModel subscriptions;

    private final Map<String, UaVariableNode> settings = new LinkedHashMap<>();

    SimulatedPlantNamespace(
            final OpcUaServer server,
            final String namespaceUri,
            final int folders,
            final int variablesPerFolder,
            final boolean writableSettings) {
        super(server, namespaceUri);
        subscriptions = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptions);
        for (int line = 1; line <= folders; line++) {
            final String folderName = String.format("Line%03d", line);
            final UaFolderNode folder = new UaFolderNode(
                    getNodeContext(),
                    newNodeId(folderName),
                    newQualifiedName(folderName),
                    LocalizedText.english(folderName));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(
                    folder.getNodeId(),
                    NodeIds.Organizes,
                    NodeIds.ObjectsFolder.expanded(),
                    Reference.Direction.INVERSE));
            for (int tag = 1; tag <= variablesPerFolder; tag++) {
                final String tagName = String.format("Tag%04d", tag);
                final UaVariableNode variable = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(newNodeId(folderName + "/" + tagName))
                        .setBrowseName(newQualifiedName(tagName))
                        .setDisplayName(LocalizedText.english(tagName))
                        .setDataType(NodeIds.Double)
                        .setTypeDefinition(NodeIds.BaseDataVariableType)
                        .setAccessLevel(AccessLevel.READ_ONLY)
                        .setUserAccessLevel(AccessLevel.READ_ONLY)
                        .setValue(new DataValue(new Variant((double) (line * 1000 + tag))))
                        .build();
                getNodeManager().addNode(variable);
                folder.addOrganizes(variable);
            }
        }
        final UaObjectNode controls = new UaObjectNode.UaObjectNodeBuilder(getNodeContext())
                .setNodeId(newNodeId("Controls"))
                .setBrowseName(newQualifiedName("Controls"))
                .setDisplayName(LocalizedText.english("Controls"))
                .setTypeDefinition(NodeIds.BaseObjectType)
                .build();
        getNodeManager().addNode(controls);
        controls.addReference(new Reference(
                controls.getNodeId(),
                NodeIds.Organizes,
                NodeIds.ObjectsFolder.expanded(),
                Reference.Direction.INVERSE));
        final UaMethodNode ping = UaMethodNode.builder(getNodeContext())
                .setNodeId(newNodeId("Controls/Ping"))
                .setBrowseName(newQualifiedName("Ping"))
                .setDisplayName(LocalizedText.english("Ping"))
                .build();
        getNodeManager().addNode(ping);
        ping.setInvocationHandler(new PingHandler(ping));
        controls.addComponent(ping);
        if (writableSettings) {
            addSettings();
        }
    }

    private void addSettings() {
        final UaFolderNode folder = new UaFolderNode(
                getNodeContext(), newNodeId(SETTINGS), newQualifiedName(SETTINGS), LocalizedText.english(SETTINGS));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(
                folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));
        addSetting(folder, "Speed", NodeIds.Int32, new Variant(0), AccessLevel.READ_WRITE);
        addSetting(folder, "Setpoint", NodeIds.Double, new Variant(20.0), AccessLevel.READ_WRITE);
        addSetting(folder, "Mode", NodeIds.String, new Variant("auto"), AccessLevel.READ_WRITE);
        addSetting(folder, "Enabled", NodeIds.Boolean, new Variant(false), AccessLevel.READ_WRITE);
        addSetting(folder, "SerialNumber", NodeIds.String, new Variant("SIM-0001"), AccessLevel.READ_ONLY);
    }

    private void addSetting(
            final UaFolderNode folder,
            final String name,
            final NodeId dataType,
            final Variant value,
            final Set<AccessLevel> access) {
        final UaVariableNode variable = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(SETTINGS + "/" + name))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDataType(dataType)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(access)
                .setUserAccessLevel(access)
                .setValue(new DataValue(value))
                .build();
        getNodeManager().addNode(variable);
        folder.addOrganizes(variable);
        settings.put(name, variable);
    }

    /**
     * The setting's variable.
     *
     * @throws IllegalArgumentException when there is no such setting (or the simulator has none)
     */
    UaVariableNode setting(final String name) {
        final UaVariableNode variable = settings.get(name);
        if (variable == null) {
            throw new IllegalArgumentException("no writable setting '" + name + "'; the simulator has "
                    + settings.keySet() + " (build it with writableSettings(true))");
        }
        return variable;
    }

    @Override
    public void onDataItemsCreated(final List<DataItem> items) {
        subscriptions.onDataItemsCreated(items);
    }

    @Override
    public void onDataItemsModified(final List<DataItem> items) {
        subscriptions.onDataItemsModified(items);
    }

    @Override
    public void onDataItemsDeleted(final List<DataItem> items) {
        subscriptions.onDataItemsDeleted(items);
    }

    @Override
    public void onMonitoringModeChanged(final List<MonitoredItem> items) {
        subscriptions.onMonitoringModeChanged(items);
    }

    /** Does nothing and returns nothing: a method for clients to find and call. */
    private static final class PingHandler extends AbstractMethodInvocationHandler {

        PingHandler(final UaMethodNode node) {
            super(node);
        }

        @Override
        public Argument[] getInputArguments() {
            return new Argument[0];
        }

        @Override
        public Argument[] getOutputArguments() {
            return new Argument[0];
        }

        @Override
        protected Variant[] invoke(final InvocationContext context, final Variant[] inputs) {
            return new Variant[0];
        }
    }
}
