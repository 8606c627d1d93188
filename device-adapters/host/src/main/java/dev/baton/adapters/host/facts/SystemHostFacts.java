package dev.baton.adapters.host.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.HostFactsSource;
import dev.baton.protocol.Limits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host facts of the machine the agent runs on, from /proc, /etc and /sys on Linux and from the JVM and the
 * environment elsewhere: {@code os}, {@code kernel}, {@code architecture}, {@code hostname}, {@code cpu},
 * {@code memory}, {@code disks}, {@code network}, {@code containers}, {@code gpus}, {@code board} and
 * {@code jetson} (docs/hardware/usb.md lists every key). A fact that cannot be read is left out; nothing here
 * throws. Values that change by the second (free memory, load, uptime, CPU frequency) are not collected, so that
 * the facts change only when the host does.
 *
 * <p>Threading: stateless; {@link #collect()} blocks on file reads and, when {@code nvidia-smi} is on the
 * {@code PATH}, on that command for at most {@link #COMMAND_TIMEOUT}, so call it from a worker thread.
 */
public final class SystemHostFacts implements HostFactsSource {

    private static final Logger LOG = LoggerFactory.getLogger(SystemHostFacts.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How long {@code nvidia-smi} may take. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    static final int MAX_INTERFACES = 32;
    static final int MAX_ADDRESSES = 16;

    private static final Pattern PER_CONTAINER_INTERFACE = Pattern.compile("veth.*|cali[0-9a-f]+|lxc[0-9a-f]{4,}");

    /** Room below the protocol's limit ({@link Limits#MAX_HOST_FACTS_BYTES}) for what the agent adds. */
    static final int BUDGET_BYTES = Limits.MAX_HOST_FACTS_BYTES * 3 / 4;

    private static final Pattern L4T = Pattern.compile("#\\s*R([0-9]+)\\s*\\(release\\),\\s*REVISION:\\s*([0-9.]+)");
    private static final Pattern L4T_BOARD = Pattern.compile("BOARD:\\s*([A-Za-z0-9_-]+)");

    private final Path root;
    private final Map<String, String> environment;
    private final Duration commandTimeout;
    private final boolean windows;

    /** The host's own facts: {@code /proc}, {@code /etc}, {@code /sys} and the agent's environment. */
    public SystemHostFacts() {
        this(Path.of("/"));
    }

    /**
     * Facts read below {@code root} instead of {@code /} ({@code root/proc/cpuinfo}, {@code root/etc/os-release},
     * …), for tests; network interfaces, disk sizes and the architecture still come from the running system.
     */
    public SystemHostFacts(final @NotNull Path root) {
        this(root, System.getenv(), COMMAND_TIMEOUT);
    }

    SystemHostFacts(final Path root, final Map<String, String> environment, final Duration commandTimeout) {
        this.root = Objects.requireNonNull(root, "root");
        this.environment = Map.copyOf(environment);
        this.commandTimeout = commandTimeout;
        this.windows = System.getProperty("os.name", "").startsWith("Windows");
    }

    @Override
    public @NotNull ObjectNode collect() {
        final ObjectNode facts = JSON.objectNode();
        put(facts, "os", this::os);
        put(facts, "kernel", this::kernel);
        put(facts, "architecture", () -> Optional.of(JSON.textNode(architecture(System.getProperty("os.arch", "")))));
        put(facts, "hostname", () -> hostname().map(JSON::textNode));
        put(facts, "cpu", this::cpu);
        put(facts, "memory", this::memory);
        put(facts, "disks", this::disks);
        put(facts, "network", this::network);
        put(facts, "containers", this::containers);
        put(facts, "gpus", this::gpus);
        put(facts, "board", this::board);
        put(facts, "jetson", this::jetson);
        fitToBudget(facts);
        return facts;
    }

    /**
     * Keeps the facts within {@link #BUDGET_BYTES}: a host with very many interfaces first loses their IPv6
     * addresses, then interfaces beyond the first 8, and says so with {@code truncated}.
     */
    static void fitToBudget(final ObjectNode facts) {
        if (encodedSize(facts) <= BUDGET_BYTES || !(facts.get("network") instanceof ArrayNode network)) {
            return;
        }
        network.forEach(entry -> ((ObjectNode) entry).remove("ipv6"));
        while (encodedSize(facts) > BUDGET_BYTES && network.size() > 8) {
            network.remove(network.size() - 1);
        }
        facts.put("truncated", true);
    }

    private static int encodedSize(final ObjectNode node) {
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static void put(
            final ObjectNode facts, final String key, final Supplier<Optional<? extends JsonNode>> fact) {
        try {
            fact.get().ifPresent(value -> facts.set(key, value));
        } catch (final RuntimeException e) {
            // One unreadable fact must not cost the others; the agent reports what it has.
            LOG.debug("host fact '{}' left out: {}", key, e.toString());
        }
    }

    private Path file(final String absolute) {
        return root.resolve(absolute.substring(1));
    }

    // --- os, kernel, architecture, hostname ---

    private Optional<ObjectNode> os() {
        final ObjectNode os = JSON.objectNode();
        os.put("family", family(System.getProperty("os.name", "")));
        final Optional<String> release =
                FactFiles.read(file("/etc/os-release")).or(() -> FactFiles.read(file("/usr/lib/os-release")));
        if (release.isPresent()) {
            final Map<String, String> fields = OsRelease.parse(release.get());
            putText(os, "id", fields.get("ID"));
            putText(os, "name", fields.get("NAME"));
            putText(os, "version", fields.get("VERSION"));
            putText(os, "versionId", fields.get("VERSION_ID"));
            putText(os, "versionCodename", fields.get("VERSION_CODENAME"));
            putText(os, "prettyName", fields.get("PRETTY_NAME"));
        } else {
            putText(os, "name", FactFiles.value(System.getProperty("os.name", "")));
            putText(os, "version", FactFiles.value(System.getProperty("os.version", "")));
        }
        return Optional.of(os);
    }

    private Optional<ObjectNode> kernel() {
        final ObjectNode kernel = JSON.objectNode();
        final Optional<String> release = FactFiles.firstLine(file("/proc/sys/kernel/osrelease"));
        if (release.isPresent()) {
            putText(
                    kernel,
                    "name",
                    FactFiles.firstLine(file("/proc/sys/kernel/ostype")).orElse(null));
            kernel.put("release", release.get());
            putText(
                    kernel,
                    "version",
                    FactFiles.firstLine(file("/proc/sys/kernel/version")).orElse(null));
        } else {
            putText(kernel, "name", FactFiles.value(System.getProperty("os.name", "")));
            putText(kernel, "release", FactFiles.value(System.getProperty("os.version", "")));
        }
        return kernel.isEmpty() ? Optional.empty() : Optional.of(kernel);
    }

    private Optional<String> hostname() {
        return FactFiles.firstLine(file("/proc/sys/kernel/hostname"))
                .or(() -> FactFiles.firstLine(file("/etc/hostname")))
                .or(() -> Optional.ofNullable(environment.get("COMPUTERNAME")).map(FactFiles::value))
                .or(() -> Optional.ofNullable(environment.get("HOSTNAME")).map(FactFiles::value))
                .filter(name -> !name.isEmpty());
    }

    static String family(final String osName) {
        final String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        if (name.startsWith("mac")) {
            return "macos";
        }
        return name.isEmpty() ? "unknown" : FactFiles.value(name);
    }

    /** The JVM's {@code os.arch} in the names Debian and Go use ({@code amd64}, {@code arm64}, {@code arm}). */
    static String architecture(final String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "armv7l", "armhf", "aarch32" -> "arm";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> FactFiles.value(osArch.toLowerCase(Locale.ROOT));
        };
    }

    // --- cpu, memory ---

    private Optional<ObjectNode> cpu() {
        final ObjectNode cpu = JSON.objectNode();
        final Optional<String> text = FactFiles.read(file("/proc/cpuinfo"));
        if (text.isPresent() && text.get().contains("processor")) {
            final CpuInfo info = CpuInfo.parse(text.get());
            putText(cpu, "model", info.model());
            cpu.put("logicalProcessors", info.logicalProcessors());
            cpu.put("cores", info.cores());
            if (info.sockets() != null) {
                cpu.put("sockets", info.sockets());
            }
            return Optional.of(cpu);
        }
        putText(
                cpu,
                "model",
                Optional.ofNullable(environment.get("PROCESSOR_IDENTIFIER"))
                        .map(FactFiles::value)
                        .orElse(null));
        final int logical = Optional.ofNullable(environment.get("NUMBER_OF_PROCESSORS"))
                .flatMap(SystemHostFacts::positiveInt)
                .orElse(Runtime.getRuntime().availableProcessors());
        cpu.put("logicalProcessors", logical);
        return Optional.of(cpu);
    }

    private Optional<ObjectNode> memory() {
        final Optional<Long> fromProc = FactFiles.read(file("/proc/meminfo")).flatMap(SystemHostFacts::memTotal);
        final Optional<Long> total = fromProc.or(SystemHostFacts::jvmTotalMemory);
        return total.map(bytes -> JSON.objectNode().put("totalBytes", bytes));
    }

    static Optional<Long> memTotal(final String meminfo) {
        final Matcher match =
                Pattern.compile("(?m)^MemTotal:\\s+([0-9]{1,15})\\s*kB").matcher(meminfo);
        return match.find() ? Optional.of(Long.parseLong(match.group(1)) * 1024) : Optional.empty();
    }

    private static Optional<Long> jvmTotalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            final long total = os.getTotalMemorySize();
            return total > 0 ? Optional.of(total) : Optional.empty();
        }
        return Optional.empty();
    }

    // --- disks ---

    private Optional<ArrayNode> disks() {
        final ArrayNode disks = JSON.arrayNode();
        final Optional<String> mounts =
                FactFiles.read(file("/proc/self/mounts")).or(() -> FactFiles.read(file("/proc/mounts")));
        if (mounts.isPresent()) {
            for (final MountTable.Mount mount : MountTable.parse(mounts.get())) {
                final ObjectNode disk = JSON.objectNode();
                disk.put("mountPoint", FactFiles.value(mount.mountPoint()));
                disk.put("fileSystem", mount.fileSystem());
                disk.put("device", mount.device());
                if (!MountTable.NETWORK.contains(mount.fileSystem())) {
                    totalSpace(mount.mountPoint()).ifPresent(bytes -> disk.put("totalBytes", bytes));
                }
                disks.add(disk);
            }
        } else {
            for (final Path rootDirectory : FileSystems.getDefault().getRootDirectories()) {
                try {
                    final FileStore store = Files.getFileStore(rootDirectory);
                    final ObjectNode disk = JSON.objectNode();
                    disk.put("mountPoint", FactFiles.value(rootDirectory.toString()));
                    disk.put("fileSystem", FactFiles.value(store.type()));
                    disk.put("totalBytes", store.getTotalSpace());
                    disks.add(disk);
                } catch (final IOException | SecurityException e) {
                    // An empty card reader or a disconnected network drive: no disk to report.
                }
                if (disks.size() == MountTable.MAX_MOUNTS) {
                    break;
                }
            }
        }
        return disks.isEmpty() ? Optional.empty() : Optional.of(disks);
    }

    /** The size of the file system mounted there, when it is a directory of this host that can be asked. */
    private static Optional<Long> totalSpace(final String mountPoint) {
        try {
            final Path path = Path.of(mountPoint);
            if (!Files.isDirectory(path)) {
                return Optional.empty();
            }
            final long total = Files.getFileStore(path).getTotalSpace();
            return total > 0 ? Optional.of(total) : Optional.empty();
        } catch (final IOException | InvalidPathException | SecurityException e) {
            return Optional.empty();
        }
    }

    // --- network ---

    private Optional<ArrayNode> network() {
        final List<ObjectNode> interfaces = new ArrayList<>();
        try {
            final var all = NetworkInterface.networkInterfaces().toList();
            for (final NetworkInterface candidate : all) {
                // Container engines and CNI plugins make an interface per container or pod (veth…, Calico's cali…,
                // Cilium's lxc…): reporting them would change the facts at every container start.
                if (PER_CONTAINER_INTERFACE.matcher(candidate.getName()).matches()) {
                    continue;
                }
                interfaces.add(describe(candidate));
            }
        } catch (final SocketException e) {
            return Optional.empty();
        }
        interfaces.sort((a, b) -> a.get("name").asText().compareTo(b.get("name").asText()));
        final ArrayNode out = JSON.arrayNode();
        interfaces.stream().limit(MAX_INTERFACES).forEach(out::add);
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static ObjectNode describe(final NetworkInterface networkInterface) throws SocketException {
        final ObjectNode entry = JSON.objectNode();
        entry.put("name", FactFiles.value(networkInterface.getName()));
        final String display = networkInterface.getDisplayName();
        if (display != null && !display.equals(networkInterface.getName())) {
            entry.put("displayName", FactFiles.value(display));
        }
        final byte[] mac = networkInterface.getHardwareAddress();
        if (mac != null && mac.length > 0) {
            final StringBuilder text = new StringBuilder();
            for (final byte b : mac) {
                text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", b & 0xff));
            }
            entry.put("mac", text.toString());
        }
        entry.put("up", networkInterface.isUp());
        entry.put("loopback", networkInterface.isLoopback());
        final TreeSet<String> ipv4 = new TreeSet<>();
        final TreeSet<String> ipv6 = new TreeSet<>();
        for (final InterfaceAddress address : networkInterface.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address) {
                ipv4.add(address.getAddress().getHostAddress() + "/" + address.getNetworkPrefixLength());
            } else {
                ipv6.add(ipv6Text(address.getAddress().getAddress()) + "/" + address.getNetworkPrefixLength());
            }
        }

        final ArrayNode v4 = entry.putArray("ipv4");
        ipv4.stream().limit(MAX_ADDRESSES).forEach(v4::add);
        final ArrayNode v6 = entry.putArray("ipv6");
        ipv6.stream().limit(MAX_ADDRESSES).forEach(v6::add);
        return entry;
    }

    /** An IPv6 address in RFC 5952 text: lower case, no leading zeros, the longest run of zero groups as "::". */
    static String ipv6Text(final byte[] address) {
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    // --- containers ---

    private Optional<ObjectNode> containers() {
        final ExecutableSearch search = new ExecutableSearch(environment, windows);
        final ArrayNode binaries = JSON.arrayNode();
        for (final String name : List.of("docker", "nerdctl", "podman")) {
            if (search.find(name).isPresent()) {
                binaries.add(name);
            }
        }
        final Map<String, String> candidates = new LinkedHashMap<>();
        for (final String socket : List.of(
                "/var/run/docker.sock",
                "/run/docker.sock",
                "/run/podman/podman.sock",
                "/run/containerd/containerd.sock")) {
            candidates.put(socket, socket);
        }
        final String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && runtimeDir.startsWith("/")) {
            candidates.put(runtimeDir + "/podman/podman.sock", runtimeDir + "/podman/podman.sock");
            candidates.put(runtimeDir + "/docker.sock", runtimeDir + "/docker.sock");
        }
        final Optional<URI> dockerHost = dockerHost();
        dockerHost
                .filter(uri -> "unix".equals(uri.getScheme())
                        && uri.getPath() != null
                        && uri.getPath().startsWith("/"))
                .ifPresent(uri -> candidates.put(uri.getPath(), uri.getPath()));
        final ArrayNode sockets = JSON.arrayNode();
        final TreeSet<String> seen = new TreeSet<>();
        for (final String socket : candidates.keySet()) {
            final Path path = file(socket);
            if (isSocketLike(path) && seen.add(realOrSelf(path))) {
                sockets.add(socket);
            }
        }
        if (windows && Files.exists(Path.of("\\\\.\\pipe\\docker_engine"))) {
            sockets.add("npipe:////./pipe/docker_engine");
        }
        final ObjectNode containers = JSON.objectNode();
        containers.put("present", !binaries.isEmpty() || !sockets.isEmpty());
        containers.set("binaries", binaries);
        containers.set("sockets", sockets);
        dockerHost.ifPresent(uri -> containers.put("dockerHost", FactFiles.value(uri.toString())));
        return Optional.of(containers);
    }

    /** {@code DOCKER_HOST} without user information, which could hold a password. */
    private Optional<URI> dockerHost() {
        final String value = environment.get("DOCKER_HOST");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            final URI uri = new URI(value.strip());
            if (uri.getScheme() == null) {
                return Optional.empty();
            }
            return Optional.of(new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null));
        } catch (final URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** A socket shows as neither file, directory nor link once links are followed. */
    private static boolean isSocketLike(final Path path) {
        return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
    }

    private static String realOrSelf(final Path path) {
        try {
            return path.toRealPath().toString();
        } catch (final IOException | SecurityException e) {
            return path.toString();
        }
    }

    // --- gpus, board, jetson ---

    private Optional<ArrayNode> gpus() {
        final ArrayNode gpus = JSON.arrayNode();
        final Optional<Path> nvidiaSmi = new ExecutableSearch(environment, windows).find("nvidia-smi");
        if (nvidiaSmi.isPresent()) {
            final List<String> command = new ArrayList<>();
            command.add(nvidiaSmi.get().toString());
            command.addAll(NvidiaSmi.ARGUMENTS);
            try {
                BoundedCommand.run(command, commandTimeout)
                        .ifPresent(out -> NvidiaSmi.parse(out).forEach(gpus::add));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (gpus.isEmpty() && Files.isRegularFile(file("/etc/nv_tegra_release"))) {
            final ObjectNode integrated = gpus.addObject();
            integrated.put("vendor", "nvidia");
            integrated.put("name", "Tegra integrated GPU");
            integrated.put("integrated", true);
        }
        return gpus.isEmpty() ? Optional.empty() : Optional.of(gpus);
    }

    /** The board: the device tree's model on ARM boards (Raspberry Pi, Jetson), DMI vendor and product on PCs. */
    private Optional<ObjectNode> board() {
        final ObjectNode board = JSON.objectNode();
        final Optional<String> model = FactFiles.firstLine(file("/proc/device-tree/model"))
                .or(() -> FactFiles.firstLine(file("/sys/firmware/devicetree/base/model")));
        if (model.isPresent()) {
            board.put("model", model.get());
        } else {
            putText(
                    board,
                    "vendor",
                    FactFiles.firstLine(file("/sys/class/dmi/id/sys_vendor")).orElse(null));
            putText(
                    board,
                    "model",
                    FactFiles.firstLine(file("/sys/class/dmi/id/product_name")).orElse(null));
        }
        return board.isEmpty() ? Optional.empty() : Optional.of(board);
    }

    /** NVIDIA Jetson: the L4T release of /etc/nv_tegra_release ({@code # R35 (release), REVISION: 4.1, …}). */
    private Optional<ObjectNode> jetson() {
        return FactFiles.firstLine(file("/etc/nv_tegra_release")).map(line -> {
            final ObjectNode jetson = JSON.objectNode();
            final Matcher release = L4T.matcher(line);
            if (release.find()) {
                jetson.put("l4tRelease", "R" + release.group(1) + "." + release.group(2));
            }
            final Matcher board = L4T_BOARD.matcher(line);
            if (board.find()) {
                jetson.put("board", board.group(1));
            }
            return jetson;
        });
    }

    // --- helpers ---

    private static void putText(final ObjectNode node, final String key, final String value) {
        if (value != null && !value.isEmpty()) {
            node.put(key, value);
        }
    }

    private static Optional<Integer> positiveInt(final String text) {
        try {
            final int value = Integer.parseInt(text.strip());
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (final NumberFormatException e) {
            return Optional.empty();
        }
    }
}
