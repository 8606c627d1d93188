package dev.baton.sim.mcu;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A bootloader simulator as a process of its own, so that a benchmark's client does not share a JVM (threads, JIT,
 * GC) with the chip it talks to, and so that a demo can offer a simulated board on a pty.
 *
 * <pre>
 * java -cp … dev.baton.sim.mcu.SimulatorMain stm32-f103|stm32-f407|optiboot-m328p BAUD BITS_PER_BYTE [checksum]
 * </pre>
 *
 * <p>{@code checksum} makes an STM32 bootloader offer Get Checksum (0xA1).
 *
 * <p>Commands on stdin, one per line, each answered with one line on stdout ("ok …" or "error …"):
 * {@code attach PTY} (serve the pty at PTY; the chip keeps its flash), {@code erase} (erase the whole flash),
 * {@code dump FILE} (write the flash to FILE), {@code stats} (the {@link WireStats} of the current link),
 * {@code reset}, {@code quit}.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(final String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 4 && args[3].equals("checksum"))) {
            System.err.println(
                    "usage: SimulatorMain stm32-f103|stm32-f407|optiboot-m328p BAUD BITS_PER_BYTE [checksum]");
            System.exit(2);
        }
        final boolean checksum = args.length == 4;
        final WireTiming wire =
                new WireTiming(Integer.parseInt(args[1]), Integer.parseInt(args[2]), java.time.Duration.ZERO);
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (BootloaderSimulator sim = simulator(args[0], wire, checksum)) {
            out.println("ok ready " + args[0]);
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                final String[] words = line.strip().split("\\s+", 2);
                try {
                    switch (words[0]) {
                        case "attach" -> {
                            sim.attach(
                                    Path.of(words[1]), () -> {}); // no faults are configured here, so nothing unplugs
                            out.println("ok attached");
                        }
                        case "erase" -> {
                            sim.flash().eraseAll();
                            out.println("ok erased");
                        }
                        case "dump" -> {
                            Files.write(Path.of(words[1]), sim.flash().contents());
                            out.println("ok dumped");
                        }
                        case "stats" -> {
                            final WireStats s = sim.wireStats();
                            out.println(String.format(
                                    Locale.ROOT,
                                    "ok %d %.1f %.1f %.1f %.1f",
                                    s.turnarounds(),
                                    s.hostTurnaroundMedianMicros(),
                                    s.hostTurnaroundP90Micros(),
                                    s.lateAnswerMedianMicros(),
                                    s.lateAnswerP90Micros()));
                        }
                        case "reset" -> {
                            sim.reset();
                            out.println("ok reset");
                        }
                        case "quit" -> {
                            out.println("ok bye");
                            return;
                        }
                        default -> out.println("error unknown command " + words[0]);
                    }
                } catch (final Exception e) {
                    out.println("error " + e);
                }
            }
        }
    }

    private static BootloaderSimulator simulator(final String chip, final WireTiming wire, final boolean checksum) {
        return switch (chip) {
            case "stm32-f103" -> new Stm32BootloaderSimulator(
                    Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                            .wire(wire)
                            .checksumCommand(checksum)
                            .build());
            case "stm32-f407" -> new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F407)
                    .wire(wire)
                    .checksumCommand(checksum)
                    .build());
            case "optiboot-m328p" -> new OptibootSimulator(OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P)
                    .wire(wire)
                    .build());
            default -> throw new IllegalArgumentException("unknown chip " + chip);
        };
    }
}
