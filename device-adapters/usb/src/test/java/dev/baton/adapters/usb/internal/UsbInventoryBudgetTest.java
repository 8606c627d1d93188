package dev.baton.adapters.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsbInventoryBudgetTest {

    private static ObjectNode composite(final int interfaces, final int nameChars, final int devnodes) {
        final ObjectNode properties = JsonNodeFactory.instance.objectNode().put("vid", "1234");
        for (int i = 0; i < interfaces; i++) {
            properties
                    .withArray("interfaces")
                    .addObject()
                    .put("number", String.format("%02x", i))
                    .put("class", "ff")
                    .put("name", "é".repeat(nameChars));
        }
        for (int i = 0; i < devnodes; i++) {
            properties.withArray("devnodes").add("/dev/input/event" + (100 + i));
        }
        return properties;
    }

    private static int size(final ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void ordinaryDeviceIsLeftAsItIs() {
        final ObjectNode properties = composite(4, 40, 4);
        final ObjectNode before = properties.deepCopy();

        UsbInventory.fitToBudget(properties);

        assertThat(properties).isEqualTo(before);
    }

    @Test
    void compositeDeviceOverTheBudgetLosesInterfaceNamesFirstAndSaysItWasTruncated() {
        final ObjectNode properties = composite(32, 200, 16);
        assertThat(size(properties)).isGreaterThan(UsbInventory.PROPERTY_BUDGET_BYTES);

        UsbInventory.fitToBudget(properties);

        assertThat(size(properties)).isLessThanOrEqualTo(UsbInventory.PROPERTY_BUDGET_BYTES);
        assertThat(properties.get("interfaces")).hasSize(32).allSatisfy(i -> assertThat(i.has("name"))
                .isFalse());
        assertThat(properties.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void deviceStillOverTheBudgetKeepsTheHeadOfItsLists() {
        final ObjectNode properties = composite(32, 0, 600);

        UsbInventory.fitToBudget(properties);

        assertThat(properties.get("interfaces")).hasSize(8);
        assertThat(properties.get("devnodes")).hasSize(16);
        assertThat(properties.get("devnodes").get(0).asText()).isEqualTo("/dev/input/event100");
        assertThat(size(properties)).isLessThanOrEqualTo(UsbInventory.PROPERTY_BUDGET_BYTES);
    }
}
