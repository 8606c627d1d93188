package dev.baton.sim.mcu;

import static dev.baton.sim.mcu.Stm32BootloaderSimulator.WRITE_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.mcu.component.FirmwareProvider;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Device;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code firmware} component provider against the bootloader simulators over real pty pairs (socat), driven the
 * way the agent's reconciler drives it ({@link RecordingContext} stands in for the agent). 8N1 with no reset lines:
 * ptys drop parity and have no DTR/RTS.
 */
class FirmwareComponentOnSimulatorsTest {

    private static final long FLASH = 0x0800_0000L;
    private static final byte[] IMAGE = TestImages.random(6_000, 21);

    @TempDir
    Path tmp;

    private final FirmwareProvider provider = new FirmwareProvider();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void socat() {
        ExternalTool.requireSocat();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Stm32BootloaderSimulator f103(final SimFault... faults) {
        final Stm32SimConfig.Builder config = Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY);
        for (final SimFault fault : faults) {
            config.fault(fault);
        }
        final Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(config.build());
        open.add(sim);
        return sim;
    }

    private PtyPair plug(final BootloaderSimulator sim, final String name) throws Exception {
        final PtyPair pair = PtyPair.open(tmp, name);
        open.add(pair);
        sim.attach(pair);
        return pair;
    }

    private static ComponentSpec stm32(final String sha, final Consumer<ObjectNode> target) {
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "stm32-uart")
                .put("artifact", sha)
                .put("parity", "none")
                .put("reset", "none")
                .put("chipId", "0x410")
                .put("format", "bin");
        target.accept(properties);
        return new ComponentSpec("stm32-app", "firmware", properties, List.of());
    }

    private static ComponentSpec stm32(final String sha, final PtyPair pair) {
        return stm32(sha, p -> p.put("port", pair.clientEnd().toString()));
    }

    private RecordingContext context() {
        return new RecordingContext("stm32-app", tmp.resolve("state"));
    }

    @Test
    void anImageIsFlashedVerifiedAndReportedWithProgressEventsAndObserveThenSeesItInSync() throws Exception {
        final Stm32BootloaderSimulator sim = f103();
        final PtyPair pair = plug(sim, "a");
        final RecordingContext context = context();
        final String sha = context.addArtifact(IMAGE);
        final ComponentSpec spec = stm32(sha, pair);
        provider.validate(spec);

        final String message = provider.apply(spec, context);

        assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(message)
                .startsWith("flashed image " + sha.substring(0, 12) + "… on port:" + pair.clientEnd())
                .contains("6000 bytes, verified");
        final JsonNode outputs = context.outputs();
        assertThat(outputs.get("sha256").asText()).isEqualTo(sha);
        final JsonNode device = outputs.get("devices").get(0);
        assertThat(device.get("port").asText()).isEqualTo(pair.clientEnd().toString());
        assertThat(device.get("sha256").asText()).isEqualTo(sha);
        assertThat(device.get("verified").asBoolean()).isTrue();
        assertThat(device.get("chipId").asText()).isEqualTo("0x410");
        assertThat(device.hasNonNull("flashedAt")).isTrue();
        final List<String> progress = context.events().stream()
                .filter(e -> e.type().equals("firmware.progress"))
                .map(RecordingContext.RecordedEvent::message)
                .toList();
        assertThat(progress).anyMatch(m -> m.matches(".*: write 100% \\(6000/6000 bytes, \\d+ B/s\\)"));
        assertThat(progress).anyMatch(m -> m.contains(": verify 100%"));
        assertThat(progress.size()).as("throttled: not one event per block").isLessThan(60);

        final int writes = sim.commandCount(WRITE_MEMORY);
        assertThat(provider.observe(spec, context).synced()).isTrue();
        assertThat(provider.apply(spec, context)).contains("already flashed");
        assertThat(sim.commandCount(WRITE_MEMORY))
                .as("neither observe nor a repeated apply writes")
                .isEqualTo(writes);
    }

    @Test
    void verifyChecksumChecksTheImageWithTheBootloadersChecksumAndSaysSo() throws Exception {
        final Stm32BootloaderSimulator sim =
                new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                        .checksumCommand(true)
                        .build());
        open.add(sim);
        final PtyPair pair = plug(sim, "crc");
        final RecordingContext context = context();
        final String sha = context.addArtifact(IMAGE);
        final ComponentSpec spec =
                stm32(sha, p -> p.put("port", pair.clientEnd().toString()).put("verify", "checksum"));
        provider.validate(spec);

        assertThat(provider.apply(spec, context)).contains("6000 bytes, verified by checksum");

        assertThat(sim.commandCount(Stm32BootloaderSimulator.GET_CHECKSUM)).isEqualTo(1);
        assertThat(sim.commandCount(Stm32BootloaderSimulator.READ_MEMORY)).isZero();
        assertThat(context.outputs().get("devices").get(0).get("verified").asBoolean())
                .isTrue();
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void verifyChecksumOnABootloaderWithoutItFailsTheComponentAndLeavesTheChipUntouched() throws Exception {
        final Stm32BootloaderSimulator sim = f103();
        final PtyPair pair = plug(sim, "nocrc");
        final RecordingContext context = context();
        final String sha = context.addArtifact(IMAGE);
        final ComponentSpec spec =
                stm32(sha, p -> p.put("port", pair.clientEnd().toString()).put("verify", "checksum"));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("does not offer Get Checksum (0xA1)")
                .hasMessageContaining("Use verify auto");
        assertThat(sim.flash().totalErases()).isZero();
    }

    private static List<RecordingContext.RecordedEvent> failedEvents(final RecordingContext context) {
        return context.events().stream()
                .filter(e -> e.type().equals(FirmwareProvider.FAILED_EVENT))
                .toList();
    }

    @Test
    void aPortThatDoesNotExistFailsAsNoDeviceInTheMessageAndAnErrorEvent() {
        final RecordingContext context = context();
        final String missing = tmp.resolve("ttyGONE").toString();
        final ComponentSpec spec = stm32(context.addArtifact(IMAGE), p -> p.put("port", missing));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageStartingWith("port:" + missing + " (no-device): serial port " + missing + " is missing");
        assertThat(failedEvents(context)).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(dev.baton.protocol.Severity.ERROR);
            assertThat(e.message()).startsWith("port:" + missing + " (no-device): ");
        });
    }

    @Test
    void anExternalToolThatIsNotInstalledFailsAsToolMissing() {
        final RecordingContext context = context();
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "avrdude")
                .put("port", tmp.resolve("ttyX").toString())
                .put("artifact", context.addArtifact(IntelHexText.of(0, TestImages.random(256, 24))));
        properties
                .putObject("options")
                .put("programmer", "arduino")
                .put("part", "m328p")
                .put("executable", tmp.resolve("bin/avrdude").toString());
        final ComponentSpec spec = new ComponentSpec("nano", "firmware", properties, List.of());

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("(tool-missing): avrdude is not installed");
        assertThat(failedEvents(context)).singleElement().satisfies(e -> assertThat(e.message())
                .contains("(tool-missing)"));
    }

    @Test
    void theRealAvrdudeOnAPortThatDoesNotExistFailsAsNoDevice() {
        ExternalTool.require("avrdude");
        final RecordingContext context = context();
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "avrdude")
                .put("port", tmp.resolve("ttyNONE").toString())
                .put("artifact", context.addArtifact(IntelHexText.of(0, TestImages.random(256, 25))));
        properties.putObject("options").put("programmer", "arduino").put("part", "m328p");
        final ComponentSpec spec = new ComponentSpec("nano", "firmware", properties, List.of());

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("(no-device): avrdude failed");
        assertThat(failedEvents(context)).singleElement().satisfies(e -> assertThat(e.message())
                .contains("(no-device)"));
    }

    @Test
    void aChipOfAnotherIdIsRefusedWithBothIdsAndNothingIsWritten() throws Exception {
        final Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(
                Stm32SimConfig.builder(Stm32ChipProfile.F407).build());
        open.add(sim);
        final PtyPair pair = plug(sim, "a");
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(context.addArtifact(IMAGE), pair);

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageContaining("port:" + pair.clientEnd() + " (chip-mismatch): the chip on")
                .hasMessageContaining("reports product ID 0x413")
                .hasMessageContaining("but chipId expects 0x410; nothing was erased or written");
        assertThat(sim.flash().totalErases()).isZero();
        assertThat(sim.commandCount(WRITE_MEMORY)).isZero();
        assertThat(provider.observe(spec, context).synced()).isFalse();
    }

    @Test
    void aNackMidFlashIsReportedWithItsAddressAndTheNextApplyRecovers() throws Exception {
        final Stm32BootloaderSimulator sim = f103(new SimFault.Refuse(WRITE_MEMORY, 5, 4));
        final PtyPair pair = plug(sim, "a");
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(context.addArtifact(IMAGE), pair);

        assertThatThrownBy(() -> provider.apply(spec, context))
                .hasMessageContaining("at 0x08000400 was refused (NACK) 4 time(s)");
        assertThat(provider.observe(spec, context).synced()).isFalse();
        assertThat(context.outputs().get("devices")).isEmpty();

        provider.apply(spec, context); // the reconciler's retry
        assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void anUnplugMidFlashIsReportedAndAfterTheReplugTheNextApplyRecovers() throws Exception {
        final Stm32BootloaderSimulator sim = f103(new SimFault.Unplug(WRITE_MEMORY, 10));
        plug(sim, "a");
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(
                context.addArtifact(IMAGE),
                p -> p.put("port", tmp.resolve("a-client").toString()));

        assertThatThrownBy(() -> provider.apply(spec, context)).hasMessageContaining("reconnect the device");
        assertThatThrownBy(() -> provider.apply(spec, context))
                .as("while unplugged")
                .hasMessageContaining("serial port " + tmp.resolve("a-client") + " is missing");

        plug(sim, "a"); // the same path again, as udev's by-id link would be
        provider.apply(spec, context);
        assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
    }

    @Test
    void aSelectorMatchingTwoPortsFlashesEachAndANewMatchingPortIsDriftThatFlashesOnlyIt() throws Exception {
        final Stm32BootloaderSimulator first = f103();
        final Stm32BootloaderSimulator second = f103();
        final Stm32BootloaderSimulator third = f103();
        final PtyPair a = plug(first, "a");
        final PtyPair b = plug(second, "b");
        final PtyPair c = plug(third, "c");
        final RecordingContext context = context();
        final String sha = context.addArtifact(IMAGE);
        final Device other = port("serial:/dev/ttyS9", Path.of("/dev/ttyS9"), "0403", "6001");
        context.devices(List.of(
                port("serial:a", a.clientEnd(), "0483", "5740"),
                port("serial:b", b.clientEnd(), "0483", "5740"),
                other));
        final ComponentSpec spec =
                stm32(sha, p -> p.putObject("select").put("vid", "0483").put("pid", "5740"));

        final String message = provider.apply(spec, context);

        assertThat(message).contains("serial:a (").contains("serial:b (");
        assertThat(first.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(second.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        final JsonNode devices = context.outputs().get("devices");
        assertThat(devices).hasSize(2);
        assertThat(devices.findValuesAsText("device")).containsExactly("serial:a", "serial:b");
        assertThat(provider.observe(spec, context).synced()).isTrue();

        context.devices(List.of(
                port("serial:a", a.clientEnd(), "0483", "5740"),
                port("serial:b", b.clientEnd(), "0483", "5740"),
                port("serial:c", c.clientEnd(), "0483", "5740"),
                other));
        assertThat(provider.observe(spec, context).detail())
                .isEqualTo("new device serial:c matches the selector and has not been flashed");
        final int writesA = first.commandCount(WRITE_MEMORY);
        assertThat(provider.apply(spec, context)).contains("serial:c (").contains("2 already had it");
        assertThat(third.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(first.commandCount(WRITE_MEMORY)).isEqualTo(writesA);
        assertThat(context.outputs().get("devices")).hasSize(3);
    }

    @Test
    void aSelectorThatMatchesNothingFailsNamingIt() {
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(
                context.addArtifact(IMAGE),
                p -> p.putObject("select").put("vid", "0483").put("pid", "5740"));
        assertThatThrownBy(() -> provider.apply(spec, context))
                .hasMessageContaining("no serial port in this node's inventory matches select {vid 0483, pid 5740}");
    }

    @Test
    void oneFailingPortOfASelectionDoesNotStopTheOthers() throws Exception {
        final Stm32BootloaderSimulator good = f103();
        final Stm32BootloaderSimulator wrong = new Stm32BootloaderSimulator(
                Stm32SimConfig.builder(Stm32ChipProfile.F407).build());
        open.add(wrong);
        final PtyPair a = plug(wrong, "a");
        final PtyPair b = plug(good, "b");
        final RecordingContext context = context();
        context.devices(List.of(
                port("serial:a", a.clientEnd(), "0483", "5740"), port("serial:b", b.clientEnd(), "0483", "5740")));
        final ComponentSpec spec =
                stm32(context.addArtifact(IMAGE), p -> p.putObject("select").put("vid", "0483"));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .hasMessageStartingWith("1 of 2 devices failed: serial:a (chip-mismatch): the chip on");
        assertThat(good.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(context.outputs().get("devices").findValuesAsText("device")).containsExactly("serial:b");
    }

    @Test
    void theApplicationsSerialBannerAfterGoCompletesTheFlash() throws Exception {
        final Stm32BootloaderSimulator sim = f103();
        final PtyPair pair = plug(sim, "a");
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(context.addArtifact(IMAGE), p -> {
            p.put("port", pair.clientEnd().toString());
            p.putObject("appCheck").put("serialBanner", "^app v[0-9.]+ ready$").put("timeoutMs", 5_000);
        });
        final Thread application = new Thread(() -> {
            while (sim.goAddress().isEmpty()) {
                Thread.onSpinWait();
            }
            // The application prints through the chip's UART: the simulator's end of the pair.
            try (FileChannel uart = FileChannel.open(pair.simulatorEnd(), StandardOpenOption.WRITE)) {
                uart.write(ByteBuffer.wrap("boot\r\napp v2.1 ready\r\n".getBytes(StandardCharsets.US_ASCII)));
            } catch (final java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        application.start();

        assertThat(provider.apply(spec, context)).contains("verified");
        application.join(5_000);
        assertThat(sim.goAddress()).hasValue(FLASH);
    }

    @Test
    void anApplicationThatPrintsNoBannerFailsTheFlashSayingWhatArrived() throws Exception {
        final Stm32BootloaderSimulator sim = f103();
        final PtyPair pair = plug(sim, "a");
        final RecordingContext context = context();
        final ComponentSpec spec = stm32(context.addArtifact(IMAGE), p -> {
            p.put("port", pair.clientEnd().toString());
            p.putObject("appCheck").put("serialBanner", "ready").put("timeoutMs", 300);
        });
        assertThatThrownBy(() -> provider.apply(spec, context))
                .hasMessageContaining("the application did not start: no line matching 'ready' on " + pair.clientEnd()
                        + " within 300 ms (nothing arrived)");
        assertThat(provider.observe(spec, context).synced()).isFalse();
    }

    @Test
    void anAvrIsFlashedFromIntelHexThroughOptiboot() throws Exception {
        final OptibootSimulator sim = new OptibootSimulator(
                OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P).build());
        open.add(sim);
        final PtyPair pair = plug(sim, "avr");
        final byte[] program = TestImages.random(3_000, 22);
        final RecordingContext context = new RecordingContext("uno", tmp.resolve("state-uno"));
        final String sha = context.addArtifact(IntelHexText.of(0, program));
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "avr-optiboot")
                .put("port", pair.clientEnd().toString())
                .put("reset", "none")
                .put("artifact", sha)
                .put("chipId", 0x1E950F);
        final ComponentSpec spec = new ComponentSpec("uno", "firmware", properties, List.of());

        assertThat(provider.apply(spec, context)).contains("verified");

        assertThat(sim.flash().read(0, program.length)).isEqualTo(program);
        assertThat(sim.bootSectionIntact()).isTrue();
        final JsonNode device = context.outputs().get("devices").get(0);
        assertThat(device.get("chipId").asText()).isEqualTo("0x1E950F");
        assertThat(device.get("verified").asBoolean()).isTrue();
        assertThat(context.events().stream()
                        .map(RecordingContext.RecordedEvent::message)
                        .collect(Collectors.joining("\n")))
                .contains("(3000 bytes, hex) with avr-optiboot");
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void anExternalToolFlashesThroughTheComponentWithTheTargetsPort() throws Exception {
        final OptibootSimulator sim = new OptibootSimulator(
                OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P).build());
        open.add(sim);
        final PtyPair pair = plug(sim, "avrdude");
        final byte[] program = TestImages.random(2_000, 23);
        final RecordingContext context = new RecordingContext("nano", tmp.resolve("state-nano"));
        final String sha = context.addArtifact(IntelHexText.of(0, program));
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "avrdude")
                .put("port", pair.clientEnd().toString())
                .put("artifact", sha);
        properties
                .putObject("options")
                .put("programmer", "arduino")
                .put("part", "m328p")
                .put("baud", 115_200);
        final ComponentSpec spec = new ComponentSpec("nano", "firmware", properties, List.of());
        provider.validate(spec);

        assertThat(provider.apply(spec, context)).contains("avrdude");

        assertThat(sim.flash().read(0, program.length)).isEqualTo(program);
        final JsonNode device = context.outputs().get("devices").get(0);
        assertThat(device.get("sha256").asText()).isEqualTo(sha);
        assertThat(device.get("verified").asBoolean()).isTrue();
        assertThat(device.get("chipId").asText()).isEqualTo("0x1E950F");
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void anExternalToolsOptionsAreCheckedWhenTheComponentIsValidated() {
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "avrdude")
                .put("port", "/dev/ttyUSB0")
                .put("artifact", "a".repeat(64));
        properties.putObject("options").put("programmer", "arduino");
        final ComponentSpec spec = new ComponentSpec("nano", "firmware", properties, List.of());

        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("'options' for flasher avrdude")
                .hasMessageContaining("part");
    }

    private static Device port(final String id, final Path path, final String vid, final String pid) {
        return new Device(
                id,
                "serial-port",
                "usb",
                "USB serial " + id,
                JsonNodeFactory.instance
                        .objectNode()
                        .put("port", path.toString())
                        .put("vid", vid)
                        .put("pid", pid));
    }
}
