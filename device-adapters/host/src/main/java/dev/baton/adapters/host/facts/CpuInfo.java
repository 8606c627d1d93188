package dev.baton.adapters.host.facts;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jetbrains.annotations.Nullable;

/**
 * What /proc/cpuinfo says about the CPU: the model, logical processors, physical cores and sockets. On x86 the
 * model is the {@code model name} line; arm64 kernels print only implementer and part numbers (ARM's MIDR
 * encoding), so those are named from a table of common parts. Frequencies ({@code cpu MHz}) change by the second
 * and are left out.
 *
 * @param cores distinct (physical id, core id) pairs, or the logical count when the kernel does not say
 * @param sockets distinct physical ids, or null when the kernel does not say
 */
record CpuInfo(@Nullable String model, int logicalProcessors, int cores, @Nullable Integer sockets) {

    /** ARM implementer 0x41 and NVIDIA 0x4e part numbers (Arm TRMs, MIDR_EL1.PartNum). */
    private static final Map<String, String> PARTS = Map.ofEntries(
            Map.entry("0x41:0xd03", "ARM Cortex-A53"),
            Map.entry("0x41:0xd04", "ARM Cortex-A35"),
            Map.entry("0x41:0xd05", "ARM Cortex-A55"),
            Map.entry("0x41:0xd07", "ARM Cortex-A57"),
            Map.entry("0x41:0xd08", "ARM Cortex-A72"),
            Map.entry("0x41:0xd09", "ARM Cortex-A73"),
            Map.entry("0x41:0xd0a", "ARM Cortex-A75"),
            Map.entry("0x41:0xd0b", "ARM Cortex-A76"),
            Map.entry("0x41:0xd0c", "ARM Neoverse-N1"),
            Map.entry("0x41:0xd0d", "ARM Cortex-A77"),
            Map.entry("0x41:0xd41", "ARM Cortex-A78"),
            Map.entry("0x41:0xd42", "ARM Cortex-A78AE"),
            Map.entry("0x41:0xd44", "ARM Cortex-X1"),
            Map.entry("0x41:0xd46", "ARM Cortex-A510"),
            Map.entry("0x41:0xd47", "ARM Cortex-A710"),
            Map.entry("0x41:0xd4b", "ARM Cortex-A78C"),
            Map.entry("0x4e:0x004", "NVIDIA Carmel"));

    static CpuInfo parse(final String text) {
        int logical = 0;
        String model = null;
        String implementer = null;
        String part = null;
        String hardware = null;
        String physicalId = null;
        final Set<String> cores = new HashSet<>();
        final Set<String> sockets = new HashSet<>();
        for (final String line : text.split("\n")) {
            final int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            final String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            final String value = FactFiles.value(line.substring(colon + 1));
            switch (key) {
                case "processor" -> {
                    logical++;
                    physicalId = null;
                }
                case "model name", "cpu model", "uarch" -> model = model == null ? value : model;
                case "cpu implementer" -> implementer =
                        implementer == null ? value.toLowerCase(Locale.ROOT) : implementer;
                case "cpu part" -> part = part == null ? value.toLowerCase(Locale.ROOT) : part;
                case "hardware" -> hardware = value;
                case "physical id" -> {
                    physicalId = value;
                    sockets.add(value);
                }
                case "core id" -> cores.add((physicalId == null ? "" : physicalId) + "/" + value);
                default -> {}
            }
        }
        if (model == null && implementer != null && part != null) {
            model = PARTS.getOrDefault(implementer + ":" + part, "implementer " + implementer + " part " + part);
        }
        if (model == null && hardware != null) {
            model = hardware;
        }
        final int coreCount = cores.isEmpty() ? logical : cores.size();
        return new CpuInfo(model, logical, coreCount, sockets.isEmpty() ? null : sockets.size());
    }
}
