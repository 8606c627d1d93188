package dev.baton.adapters.host.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host facts read from a fixture root laid out like a Jetson's /proc, /etc and /sys. */
class SystemHostFactsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @TempDir
    Path bin;

    @TempDir
    Path data;

    private ServerSocketChannel podmanSocket;
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void layOutAJetson() throws IOException {
        write(
                "etc/os-release",
                """
                NAME="Ubuntu"
                VERSION="20.04.6 LTS (Focal Fossa)"
                ID=ubuntu
                ID_LIKE=debian
                PRETTY_NAME="Ubuntu 20.04.6 LTS"
                VERSION_ID="20.04"
                # a comment
                VERSION_CODENAME=focal
                """);
        write("proc/sys/kernel/ostype", "Linux\n");
        write("proc/sys/kernel/osrelease", "5.10.120-tegra\n");
        write("proc/sys/kernel/version", "#1 SMP PREEMPT Tue Aug 1 12:32:50 PDT 2023\n");
        write("proc/sys/kernel/hostname", "jetson-cell-7\n");
        final StringBuilder cpuinfo = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            cpuinfo.append("processor\t: ")
                    .append(i)
                    .append("\nmodel name\t: ARMv8 Processor rev 1 (v8l)\n")
                    .append("BogoMIPS\t: 62.50\nFeatures\t: fp asimd evtstrm\nCPU implementer\t: 0x41\n")
                    .append("CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd42\nCPU revision\t: 1\n\n");
        }
        write("proc/cpuinfo", cpuinfo.toString());
        write(
                "proc/meminfo",
                "MemTotal:        7999032 kB\nMemFree:          123456 kB\nMemAvailable:    5000000 kB\n");
        write(
                "proc/self/mounts",
                String.join(
                        "\n",
                        "/dev/mmcblk0p1 / ext4 rw,relatime 0 0",
                        "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
                        "tmpfs /run tmpfs rw,nosuid,nodev 0 0",
                        "/dev/mmcblk0p1 /run/netns ext4 rw,relatime 0 0",
                        "overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime 0 0",
                        "/dev/nvme0n1p1 " + data.toString().replace(" ", "\\040") + " xfs rw,relatime 0 0",
                        "server:/export /mnt/share nfs4 rw,relatime 0 0",
                        "squashfs /snap/core/1 squashfs ro 0 0",
                        ""));
        write(
                "etc/nv_tegra_release",
                "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1\n");
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.write(
                root.resolve("proc/device-tree/model"),
                "NVIDIA Jetson Orin Nano Developer Kit\0".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(root.resolve("run/podman"));
        podmanSocket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        podmanSocket.bind(UnixDomainSocketAddress.of(root.resolve("run/podman/podman.sock")));
        executable("podman", "#!/bin/sh\nexit 0\n");
        environment.put("PATH", bin.toString());
        environment.put("DOCKER_HOST", "tcp://operator:s3cret@10.0.0.5:2376");
    }

    @AfterEach
    void closeSocket() throws IOException {
        podmanSocket.close();
    }

    private void write(final String relative, final String content) throws IOException {
        final Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void executable(final String name, final String script) throws IOException {
        final Path file = bin.resolve(name);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ObjectNode collect() {
        return new SystemHostFacts(root, environment, Duration.ofSeconds(2)).collect();
    }

    @Test
    void osKernelHostnameCpuAndMemoryComeFromTheRootsFiles() throws Exception {
        final ObjectNode facts = collect();

        assertThat(facts.get("os"))
                .isEqualTo(
                        JSON.readTree(
                                """
                {"family": "linux", "id": "ubuntu", "name": "Ubuntu", "version": "20.04.6 LTS (Focal Fossa)",
                 "versionId": "20.04", "versionCodename": "focal", "prettyName": "Ubuntu 20.04.6 LTS"}
                """));
        assertThat(facts.get("kernel"))
                .isEqualTo(
                        JSON.readTree(
                                """
                {"name": "Linux", "release": "5.10.120-tegra", "version": "#1 SMP PREEMPT Tue Aug 1 12:32:50 PDT 2023"}
                """));
        assertThat(facts.get("hostname").asText()).isEqualTo("jetson-cell-7");
        assertThat(facts.get("cpu"))
                .isEqualTo(JSON.readTree(
                        "{\"model\": \"ARMv8 Processor rev 1 (v8l)\", \"logicalProcessors\": 6, \"cores\": 6}"));
        assertThat(facts.get("memory")).isEqualTo(JSON.readTree("{\"totalBytes\": " + 7999032L * 1024 + "}"));
        assertThat(facts.toString())
                .doesNotContain("123456")
                .doesNotContain("5000000")
                .doesNotContain("62.50");
    }

    @Test
    void disksAreTheStorageMountsWithTheirSizeAndNotPseudoContainerOrSystemMounts() throws Exception {
        final JsonNode disks = collect().get("disks");

        assertThat(disks)
                .extracting(d -> d.get("mountPoint").asText())
                .containsExactlyInAnyOrder("/", data.toString(), "/mnt/share")
                .isSorted();
        final Map<String, JsonNode> byMountPoint = new HashMap<>();
        disks.forEach(d -> byMountPoint.put(d.get("mountPoint").asText(), d));
        assertThat(byMountPoint.get("/").get("fileSystem").asText()).isEqualTo("ext4");
        assertThat(byMountPoint.get("/").get("device").asText()).isEqualTo("/dev/mmcblk0p1");
        assertThat(byMountPoint.get("/").get("totalBytes").asLong())
                .isEqualTo(Files.getFileStore(Path.of("/")).getTotalSpace());
        assertThat(byMountPoint.get(data.toString()).get("totalBytes").asLong())
                .isEqualTo(Files.getFileStore(data).getTotalSpace());
        assertThat(byMountPoint.get("/mnt/share").get("fileSystem").asText()).isEqualTo("nfs4");
        assertThat(byMountPoint.get("/mnt/share").has("totalBytes"))
                .as("a network mount is not asked for its size")
                .isFalse();
    }

    @Test
    void jetsonIsRecognisedWithItsL4tReleaseBoardModelAndIntegratedGpu() throws Exception {
        final ObjectNode facts = collect();

        assertThat(facts.get("jetson"))
                .isEqualTo(JSON.readTree("{\"l4tRelease\": \"R35.4.1\", \"board\": \"t186ref\"}"));
        assertThat(facts.get("board"))
                .isEqualTo(JSON.readTree("{\"model\": \"NVIDIA Jetson Orin Nano Developer Kit\"}"));
        assertThat(facts.get("gpus"))
                .isEqualTo(JSON.readTree(
                        "[{\"vendor\": \"nvidia\", \"name\": \"Tegra integrated GPU\", \"integrated\": true}]"));
    }

    @Test
    void containerRuntimeIsSeenThroughItsSocketAndBinaryAndDockerHostLosesItsPassword() throws Exception {
        final JsonNode containers = collect().get("containers");

        assertThat(containers)
                .isEqualTo(
                        JSON.readTree(
                                """
                {"present": true, "binaries": ["podman"], "sockets": ["/run/podman/podman.sock"],
                 "dockerHost": "tcp://10.0.0.5:2376"}
                """));
        assertThat(collect().toString()).doesNotContain("s3cret").doesNotContain("operator");
    }

    @Test
    void regularFileWhereASocketBelongsIsNoRuntime() throws Exception {
        podmanSocket.close();
        Files.deleteIfExists(root.resolve("run/podman/podman.sock"));
        write("var/run/docker.sock", "not a socket");
        environment.put("PATH", data.toString());

        assertThat(collect().get("containers"))
                .isEqualTo(
                        JSON.readTree(
                                "{\"present\": false, \"binaries\": [], \"sockets\": [], \"dockerHost\": \"tcp://10.0.0.5:2376\"}"));
    }

    @Test
    void nvidiaSmiOnThePathListsEachGpu() throws Exception {
        // A stand-in for nvidia-smi printing what the real one prints for this query (no GPU on the build host).
        executable(
                "nvidia-smi",
                """
                #!/bin/sh
                [ "$1" = "--query-gpu=name,memory.total,driver_version" ] && [ "$2" = "--format=csv,noheader" ] || exit 9
                echo "NVIDIA GeForce RTX 3080, 10240 MiB, 535.54.03"
                echo "Tesla T4, 15360 MiB, 535.54.03"
                """);

        assertThat(collect().get("gpus"))
                .isEqualTo(
                        JSON.readTree(
                                """
                [{"vendor": "nvidia", "name": "NVIDIA GeForce RTX 3080", "memoryBytes": 10737418240,
                  "driverVersion": "535.54.03"},
                 {"vendor": "nvidia", "name": "Tesla T4", "memoryBytes": 16106127360, "driverVersion": "535.54.03"}]
                """));
    }

    @Test
    void nvidiaSmiThatHangsOrFailsIsLeftOutAndTheOtherFactsStay() throws Exception {
        executable("nvidia-smi", "#!/bin/sh\nexec sleep 30\n");
        final ObjectNode hanging = new SystemHostFacts(root, environment, Duration.ofMillis(300)).collect();

        assertThat(hanging.get("gpus").get(0).get("name").asText()).isEqualTo("Tegra integrated GPU");
        assertThat(hanging.get("hostname").asText()).isEqualTo("jetson-cell-7");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().command().orElse("").endsWith("sleep")))
                .as("the hanging command was killed")
                .isEmpty());

        executable("nvidia-smi", "#!/bin/sh\necho 'NVIDIA-SMI has failed'\nexit 6\n");
        assertThat(collect().get("gpus").get(0).get("name").asText()).isEqualTo("Tegra integrated GPU");
    }

    @Test
    void emptyRootFallsBackToTheJvmAndEnvironmentWithoutThrowing(@TempDir final Path empty) {
        final ObjectNode facts =
                new SystemHostFacts(empty, Map.of("COMPUTERNAME", "IPC-07"), Duration.ofSeconds(1)).collect();

        assertThat(facts.get("os").get("name").asText()).isEqualTo(System.getProperty("os.name"));
        assertThat(facts.get("kernel").get("release").asText()).isEqualTo(System.getProperty("os.version"));
        assertThat(facts.get("hostname").asText()).isEqualTo("IPC-07");
        assertThat(facts.get("cpu").get("logicalProcessors").asInt())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(facts.get("memory").get("totalBytes").asLong()).isPositive();
        assertThat(facts.has("jetson")).isFalse();
        assertThat(facts.has("gpus")).isFalse();
        assertThat(facts.get("containers").get("present").asBoolean()).isFalse();
    }
}
