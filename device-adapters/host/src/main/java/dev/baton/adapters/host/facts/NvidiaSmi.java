package dev.baton.adapters.host.facts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader}: one
 * line per GPU, fields separated by {@code ", "}, memory as {@code "8192 MiB"}.
 */
final class NvidiaSmi {

    static final List<String> ARGUMENTS =
            List.of("--query-gpu=name,memory.total,driver_version", "--format=csv,noheader");

    static final int MAX_GPUS = 16;

    private static final Pattern MEMORY = Pattern.compile("([0-9]{1,9}) MiB");

    private NvidiaSmi() {}

    static List<ObjectNode> parse(final String output) {
        final List<ObjectNode> gpus = new ArrayList<>();
        for (final String line : output.split("\n")) {
            final String[] fields = line.split(",\\s*");
            if (fields.length != 3 || fields[0].isBlank()) {
                continue;
            }
            final ObjectNode gpu = JsonNodeFactory.instance.objectNode();
            gpu.put("vendor", "nvidia");
            gpu.put("name", FactFiles.value(fields[0]));
            final Matcher memory = MEMORY.matcher(fields[1].strip());
            if (memory.matches()) {
                gpu.put("memoryBytes", Long.parseLong(memory.group(1)) * 1024 * 1024);
            }
            gpu.put("driverVersion", FactFiles.value(fields[2]));
            gpus.add(gpu);
            if (gpus.size() == MAX_GPUS) {
                break;
            }
        }
        return gpus;
    }
}
