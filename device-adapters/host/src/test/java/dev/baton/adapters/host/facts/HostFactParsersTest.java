package dev.baton.adapters.host.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostFactParsersTest {

    @Test
    void osReleaseUnquotesAndUnescapesValuesAndSkipsCommentsAndJunk() {
        final Map<String, String> fields = OsRelease.parse(
                """
                # comment
                NAME="Raspbian GNU/Linux"
                VERSION_ID='11'
                PRETTY_NAME="A \\"quoted\\" name"
                ID=raspbian
                not a line
                lower=case
                """);

        assertThat(fields)
                .containsExactly(
                        Map.entry("NAME", "Raspbian GNU/Linux"),
                        Map.entry("VERSION_ID", "11"),
                        Map.entry("PRETTY_NAME", "A \"quoted\" name"),
                        Map.entry("ID", "raspbian"));
    }

    @Test
    void cpuinfoOfAHyperThreadedX86CountsLogicalProcessorsCoresAndSockets() {
        final StringBuilder text = new StringBuilder();
        final int[][] cpus = {{0, 0}, {0, 1}, {0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 0}, {1, 1}};
        for (int i = 0; i < cpus.length; i++) {
            text.append("processor\t: ")
                    .append(i)
                    .append('\n')
                    .append("model name\t: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz\n")
                    .append("cpu MHz\t\t: 2100.")
                    .append(i)
                    .append('\n')
                    .append("physical id\t: ")
                    .append(cpus[i][0])
                    .append('\n')
                    .append("core id\t\t: ")
                    .append(cpus[i][1])
                    .append("\n\n");
        }

        assertThat(CpuInfo.parse(text.toString()))
                .isEqualTo(new CpuInfo("Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 8, 4, 2));
    }

    @Test
    void cpuinfoOfAnArm64BoardIsNamedFromItsPartNumber() {
        final String pi4 =
                """
                processor	: 0
                BogoMIPS	: 108.00
                CPU implementer	: 0x41
                CPU part	: 0xd08

                processor	: 1
                CPU implementer	: 0x41
                CPU part	: 0xd08

                Hardware	: BCM2835
                Model		: Raspberry Pi 4 Model B Rev 1.4
                """;

        assertThat(CpuInfo.parse(pi4)).isEqualTo(new CpuInfo("ARM Cortex-A72", 2, 2, null));
        assertThat(CpuInfo.parse("processor : 0\nCPU implementer : 0x51\nCPU part : 0x801\n")
                        .model())
                .isEqualTo("implementer 0x51 part 0x801");
    }

    @Test
    void mountTableDecodesOctalEscapesAndKeepsOnlyStorage() {
        final var mounts = MountTable.parse(String.join(
                "\n",
                "/dev/sda2 /media/usb\\040stick vfat rw 0 0",
                "/dev/sda1 / ext4 rw 0 0",
                "overlay / overlay rw 0 0",
                "tmpfs /tmp tmpfs rw 0 0",
                "/dev/sdb1 /run/media/op/DISK exfat rw 0 0",
                "/dev/sda1 /var/lib/docker/volumes ext4 rw 0 0",
                "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0",
                "short line"));

        assertThat(mounts)
                .containsExactly(
                        new MountTable.Mount("/dev/sda1", "/", "ext4"),
                        new MountTable.Mount("/dev/sda2", "/media/usb stick", "vfat"),
                        new MountTable.Mount("/dev/sdb1", "/run/media/op/DISK", "exfat"));
    }

    @Test
    void nvidiaSmiCsvBecomesOneGpuPerLine() {
        assertThat(NvidiaSmi.parse("Orin (nvgpu), [N/A], 540.3.0\n\nbroken line\n"))
                .singleElement()
                .satisfies(gpu -> {
                    assertThat(gpu.get("name").asText()).isEqualTo("Orin (nvgpu)");
                    assertThat(gpu.has("memoryBytes")).isFalse();
                    assertThat(gpu.get("driverVersion").asText()).isEqualTo("540.3.0");
                });
    }

    @Test
    void factsOverTheBudgetDropIpv6ThenTrailingInterfacesAndSaySo() {
        final com.fasterxml.jackson.databind.node.ObjectNode facts =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        facts.put("hostname", "k8s-worker");
        // More than the collection itself yields (32 interfaces, 16 addresses each): the guard is a safety net.
        for (int i = 0; i < 80; i++) {
            final var entry = facts.withArray("network").addObject().put("name", String.format("ens%03d", i));
            for (int a = 0; a < 16; a++) {
                entry.withArray("ipv4").add("10." + i + ".0." + a + "/24");
                entry.withArray("ipv6").add("2001:db8:" + i + ":" + a + "::1/64");
            }
        }

        SystemHostFacts.fitToBudget(facts);

        assertThat(facts.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(SystemHostFacts.BUDGET_BYTES);
        assertThat(facts.get("network").get(0).has("ipv6")).isFalse();
        assertThat(facts.get("network").get(0).get("name").asText()).isEqualTo("ens000");
        assertThat(facts.get("truncated").asBoolean()).isTrue();
        assertThat(facts.get("hostname").asText()).isEqualTo("k8s-worker");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "fe80:0:0:0:1c96:a4ff:fe7f:e30a, fe80::1c96:a4ff:fe7f:e30a",
        "0:0:0:0:0:0:0:1, ::1",
        "fd00:0:0:0:0:0:0:2, fd00::2",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::"
    })
    void ipv6AddressesAreWrittenAsRfc5952Says(final String javaText, final String expected) throws Exception {
        assertThat(SystemHostFacts.ipv6Text(
                        java.net.InetAddress.getByName(javaText).getAddress()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"amd64, amd64", "x86_64, amd64", "aarch64, arm64", "arm, arm", "x86, 386", "riscv64, riscv64"})
    void jvmArchitecturesAreNamedAsDebianAndGoNameThem(final String osArch, final String expected) {
        assertThat(SystemHostFacts.architecture(osArch)).isEqualTo(expected);
    }
}
