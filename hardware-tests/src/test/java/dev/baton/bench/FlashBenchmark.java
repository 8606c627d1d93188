package dev.baton.bench;

import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.Verification;
import dev.baton.sim.mcu.PtyPair;
import dev.baton.sim.mcu.SimulatorMain;
import dev.baton.sim.mcu.WireStats;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Serial flashing throughput against the budget "within 5% of the protocol ceiling at the configured baud, not
 * slower than stm32flash on the same link" (BRIEF.md). A 64 KiB image goes into the STM32 simulator (STM32F103,
 * bootloader 2.2) over a socat pty pair whose wire time is simulated at the given baud and frame; Baton's
 * {@code stm32-uart} flasher and {@code stm32flash -m 8n1} take turns on fresh pairs, writing only and then writing
 * with read-back verification; then Baton alone writes and verifies with the bootloader's Get Checksum (0xA1, which
 * the simulator offers here; stm32flash verifies by read-back only).
 *
 * <p>The protocol ceiling counts only the wire time AN3155 forces on the data: per 256-byte block, Write Memory takes
 * 268 bytes on the wire (command 2, ACK, address 5, ACK, N + 256 + checksum, ACK) and Read Memory another 268
 * (command 2, ACK, address 5, ACK, N 2, ACK, 256). A checksum verify adds one Get Checksum for the contiguous image:
 * 21 bytes (command 2, ACK, address 5, ACK, length 5, ACK, ACK, CRC 4 + check byte), so its ceiling is the write
 * ceiling. Everything else (synchronisation, Get, erase, turnarounds) counts against the tool.
 *
 * <pre>
 * mvn -q -B -DskipTests install &amp;&amp; mvn -q -B -pl hardware-tests exec:exec -Dbench=FlashBenchmark \
 *     [-Dbench.args="baud=115200 frame=8e1 runs=5 size=65536 warmup=3 throttle=true"]
 * </pre>
 */
public final class FlashBenchmark {

    private static final long FLASH = 0x0800_0000L;
    private static final int BLOCK = 256;
    private static final int WIRE_BYTES_PER_BLOCK = 268;
    private static final int CHECKSUM_WIRE_BYTES = 21;

    /**
     * @param throttle false runs the simulator unthrottled (bytes at pty speed, the clients still set {@code baud}), so
     *     the times are the tools' and the simulator's turnarounds alone: where a tool wastes time shows there
     */
    private record Settings(int baud, int bitsPerByte, int runs, int size, int warmUps, boolean throttle) {}

    /** What a run does after writing. */
    private enum Mode {
        WRITE("write"),
        READBACK("write+verify"),
        CHECKSUM("write+checksum");

        final String label;

        Mode(final String label) {
            this.label = label;
        }

        Verification verification() {
            return switch (this) {
                case WRITE -> Verification.NONE;
                case READBACK -> Verification.READBACK;
                case CHECKSUM -> Verification.CHECKSUM;
            };
        }
    }

    private record Sample(String tool, Mode mode, double seconds, WireStats wire) {}

    private record Timed(double seconds, WireStats wire) {}

    public static void main(final String[] args) throws Exception {
        final Settings settings = parse(args);
        final Path dir = Files.createTempDirectory("baton-bench-flash");
        final byte[] image = new byte[settings.size()];
        new Random(42).nextBytes(image);
        final Path file = dir.resolve("image.bin");
        Files.write(file, image);
        final Path stm32flash = Path.of("/usr/bin/stm32flash");
        final boolean haveStm32flash = Files.isExecutable(stm32flash);

        System.out.printf(
                "load average %s; image %d bytes, wire %d baud %s (%d bits a byte), %d run(s) each after %d warm-up(s)%n",
                Files.readString(Path.of("/proc/loadavg")).strip(),
                settings.size(),
                settings.baud(),
                settings.bitsPerByte() == 11 ? "8E1" : "8N1",
                settings.bitsPerByte(),
                settings.runs(),
                settings.warmUps());
        try (SimulatorProcess sim = SimulatorProcess.start(settings, dir.resolve("simulator.log"))) {
            measure(dir, sim, settings, image, file, stm32flash, haveStm32flash);
        }
    }

    private static void measure(
            final Path dir,
            final SimulatorProcess sim,
            final Settings settings,
            final byte[] image,
            final Path file,
            final Path stm32flash,
            final boolean haveStm32flash)
            throws Exception {
        // Unmeasured runs first: an agent is a long-running JVM, so Baton's figures are those of compiled code (the
        // first, cold run is printed on its own). stm32flash is native; one run warms the shared simulator for it.
        for (int i = 0; i < settings.warmUps(); i++) {
            final Timed warmUp = baton(dir, sim, settings, image, Mode.READBACK);
            if (i == 0) {
                System.out.printf(
                        "baton stm32-uart first (cold JVM) write+verify: %.3f s, %.2f kB/s%n",
                        warmUp.seconds(), settings.size() / warmUp.seconds() / 1000);
            }
        }
        if (haveStm32flash) {
            stm32flash(dir, sim, settings, stm32flash, file, image, true);
        }
        final List<Sample> samples = new ArrayList<>();
        for (final Mode mode : Mode.values()) {
            final boolean compared = haveStm32flash && mode != Mode.CHECKSUM;
            for (int run = 0; run < settings.runs(); run++) {
                // Alternate who goes first, so that a burst of load elsewhere on the machine favours neither.
                final boolean batonFirst = run % 2 == 0;
                if (batonFirst) {
                    final Timed ours = baton(dir, sim, settings, image, mode);
                    samples.add(new Sample("baton stm32-uart", mode, ours.seconds(), ours.wire()));
                }
                if (compared) {
                    final Timed theirs = stm32flash(dir, sim, settings, stm32flash, file, image, mode == Mode.READBACK);
                    samples.add(new Sample("stm32flash 0.7", mode, theirs.seconds(), theirs.wire()));
                }
                if (!batonFirst) {
                    final Timed ours = baton(dir, sim, settings, image, mode);
                    samples.add(new Sample("baton stm32-uart", mode, ours.seconds(), ours.wire()));
                }
            }
        }
        if (!haveStm32flash) {
            System.out.println("stm32flash is not installed (apt-get install stm32flash): no comparison");
        }

        final double byteSeconds = (double) settings.bitsPerByte() / settings.baud();
        final int blocks = (settings.size() + BLOCK - 1) / BLOCK;
        System.out.println();
        System.out.printf(
                "%-18s %-14s %10s %10s %12s %10s%n", "tool", "mode", "median s", "kB/s", "ceiling kB/s", "% ceiling");
        for (final Mode mode : Mode.values()) {
            final double ceilingSeconds = (blocks * WIRE_BYTES_PER_BLOCK * (mode == Mode.READBACK ? 2 : 1)
                            + (mode == Mode.CHECKSUM ? CHECKSUM_WIRE_BYTES : 0))
                    * byteSeconds;
            final double ceiling = settings.size() / ceilingSeconds / 1000;
            for (final String tool : List.of("baton stm32-uart", "stm32flash 0.7")) {
                final List<Sample> inOrder = samples.stream()
                        .filter(s -> s.tool().equals(tool) && s.mode() == mode)
                        .toList();
                if (inOrder.isEmpty()) {
                    continue;
                }
                final double[] seconds =
                        inOrder.stream().mapToDouble(Sample::seconds).toArray();
                final Sample medianRun = inOrder.stream()
                        .sorted(java.util.Comparator.comparingDouble(Sample::seconds))
                        .toList()
                        .get(inOrder.size() / 2);
                final double median = medianRun.seconds();
                final double rate = settings.size() / median / 1000;
                System.out.printf(
                        "%-18s %-14s %10.3f %10.2f %12.2f %9.1f%%   (runs in order: %s)%n",
                        tool,
                        mode.label,
                        median,
                        rate,
                        ceiling,
                        100 * rate / ceiling,
                        Arrays.toString(Arrays.stream(seconds)
                                .mapToObj(s -> String.format("%.3f", s))
                                .toArray()));
                System.out.printf(
                        "%-33s host turnaround median %.0f us, p90 %.0f us over %d; simulator late median %.0f us,"
                                + " p90 %.0f us%n",
                        "",
                        medianRun.wire().hostTurnaroundMedianMicros(),
                        medianRun.wire().hostTurnaroundP90Micros(),
                        medianRun.wire().turnarounds(),
                        medianRun.wire().lateAnswerMedianMicros(),
                        medianRun.wire().lateAnswerP90Micros());
            }
        }
    }

    /**
     * The simulator in a process of its own, as the chip is on a real link: the client under test does not share a
     * JVM (threads, JIT, GC) with it. Commands and answers are lines; see {@link SimulatorMain}.
     */
    private static final class SimulatorProcess implements AutoCloseable {

        private final Process process;
        private final BufferedReader answers;
        private final PrintWriter commands;

        private SimulatorProcess(final Process process) {
            this.process = process;
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static SimulatorProcess start(final Settings settings, final Path log) throws IOException {
            final Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            SimulatorMain.class.getName(),
                            "stm32-f103",
                            Integer.toString(settings.throttle() ? settings.baud() : 0),
                            Integer.toString(settings.bitsPerByte()),
                            "checksum")
                    .redirectError(log.toFile())
                    .start();
            final SimulatorProcess sim = new SimulatorProcess(process);
            sim.expectOk();
            return sim;
        }

        String call(final String command) throws IOException {
            commands.println(command);
            return expectOk();
        }

        WireStats stats() throws IOException {
            final String[] f = call("stats").split(" ");
            return new WireStats(
                    Integer.parseInt(f[1]),
                    Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]));
        }

        private String expectOk() throws IOException {
            final String line = answers.readLine();
            if (line == null || !line.startsWith("ok")) {
                throw new IllegalStateException("simulator process answered " + line);
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            commands.println("quit");
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** From opening the port to the last answer, as a caller of the flasher sees it. */
    private static Timed baton(
            final Path dir, final SimulatorProcess sim, final Settings settings, final byte[] image, final Mode mode)
            throws Exception {
        try (PtyPair pair = PtyPair.open(dir, "baton")) {
            sim.call("erase");
            sim.call("attach " + pair.simulatorEnd());
            final long started = System.nanoTime();
            final FlashReport report;
            try (SerialLink link = SerialLink.open(SerialLinkConfig.builder(
                            pair.clientEnd().toString())
                    .baud(settings.baud())
                    .parity(Parity.NONE) // ptys carry 8N1; the simulator charges the configured frame's wire time
                    .controlLines(SerialLinkConfig.ControlLines.NONE)
                    .build())) {
                report = FlasherFactory.byId("stm32-uart")
                        .orElseThrow()
                        .create(link)
                        .flash(
                                FirmwareImage.ofBinary(image, FLASH),
                                FlashOptions.builder()
                                        .verification(mode.verification())
                                        .build(),
                                FlashProgressListener.NONE);
            }
            final double seconds = (System.nanoTime() - started) / 1e9;
            check(dir, sim, image, "baton");
            if (report.bytesWritten() != image.length) {
                throw new IllegalStateException("wrote " + report.bytesWritten() + " bytes");
            }
            if (report.verifiedBy() != mode.verification()) {
                throw new IllegalStateException("verified by " + report.verifiedBy() + " in mode " + mode);
            }
            return new Timed(seconds, sim.stats());
        }
    }

    /** The whole stm32flash process, start to exit. */
    private static Timed stm32flash(
            final Path dir,
            final SimulatorProcess sim,
            final Settings settings,
            final Path binary,
            final Path file,
            final byte[] image,
            final boolean verify)
            throws Exception {
        try (PtyPair pair = PtyPair.open(dir, "stm32flash")) {
            sim.call("erase");
            sim.call("attach " + pair.simulatorEnd());
            final List<String> command = new ArrayList<>(List.of(
                    binary.toString(), "-m", "8n1", "-b", Integer.toString(settings.baud()), "-w", file.toString()));
            if (verify) {
                command.add("-v");
            }
            command.add(pair.clientEnd().toString());
            final Path log = dir.resolve("stm32flash.log");
            final long started = System.nanoTime();
            final Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("stm32flash failed: " + Files.readString(log));
            }
            final double seconds = (System.nanoTime() - started) / 1e9;
            check(dir, sim, image, "stm32flash");
            return new Timed(seconds, sim.stats());
        }
    }

    private static void check(final Path dir, final SimulatorProcess sim, final byte[] image, final String tool)
            throws IOException {
        final Path dump = dir.resolve("flash.bin");
        sim.call("dump " + dump);
        if (!Arrays.equals(Arrays.copyOf(Files.readAllBytes(dump), image.length), image)) {
            throw new IllegalStateException(tool + " left flash different from the image");
        }
    }

    private static Settings parse(final String[] args) {
        int baud = 115_200;
        int bits = 11;
        int runs = 5;
        int size = 64 * 1024;
        int warmUps = 3;
        boolean throttle = true;
        for (final String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.isEmpty()) {
                continue;
            }
            final String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "baud" -> baud = Integer.parseInt(kv[1]);
                case "frame" -> bits = switch (kv[1].toLowerCase(java.util.Locale.ROOT)) {
                    case "8n1" -> 10;
                    case "8e1" -> 11;
                    default -> throw new IllegalArgumentException("frame must be 8n1 or 8e1, but was " + kv[1]);
                };
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "size" -> size = Integer.parseInt(kv[1]);
                case "warmup" -> warmUps = Integer.parseInt(kv[1]);
                case "throttle" -> throttle = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException(
                        "unknown argument " + arg + "; use baud=, frame=, runs=, size=, warmup=, throttle=");
            }
        }
        return new Settings(baud, bits, runs, size, Math.max(1, warmUps), throttle);
    }
}
