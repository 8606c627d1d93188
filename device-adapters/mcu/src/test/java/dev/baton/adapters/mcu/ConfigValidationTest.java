package dev.baton.adapters.mcu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    @Test
    void flashOptionsDefaultToErasingOnlyCoveredPagesVerifyingAndNeverLiftingReadProtection() {
        final FlashOptions defaults = FlashOptions.defaults();

        assertThat(defaults.eraseMode()).isEqualTo(EraseMode.PAGES);
        assertThat(defaults.verify()).isTrue();
        assertThat(defaults.verification()).isEqualTo(Verification.AUTO);
        assertThat(defaults.removeReadProtection()).isFalse();
        assertThat(defaults.startApplication()).isFalse();
        assertThat(defaults.expectedChipId()).isEmpty();
    }

    @Test
    void flashOptionsOutOfRangeNameTheFieldTheLimitsAndTheValue() {
        assertThatThrownBy(() -> FlashOptions.builder().retries(17).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retries must be from 0 to 16, but was 17");
        assertThatThrownBy(() -> FlashOptions.builder().syncAttempts(0).build())
                .hasMessage("syncAttempts must be from 1 to 100, but was 0");
        assertThatThrownBy(() -> FlashOptions.builder().rewriteRounds(-1).build())
                .hasMessage("rewriteRounds must be from 0 to 8, but was -1");
    }

    @Test
    void serialLinkConfigDefaultsTo115200Baud8E1WithModemLines() {
        final SerialLinkConfig config = SerialLinkConfig.builder("/dev/ttyUSB0").build();

        assertThat(config.baud()).isEqualTo(115_200);
        assertThat(config.parity()).isEqualTo(Parity.EVEN);
        assertThat(config.bitsPerByte()).isEqualTo(11);
        assertThat(config.controlLines()).isEqualTo(SerialLinkConfig.ControlLines.MODEM);
        // 11 bits × 256 bytes at 115200 baud
        assertThat(config.wireTime(256)).isEqualTo(Duration.ofNanos(256L * 11 * 1_000_000_000L / 115_200));
    }

    @Test
    void serialLinkConfigOutOfRangeNamesTheFieldTheLimitsAndTheValue() {
        assertThatThrownBy(() ->
                        SerialLinkConfig.builder("/dev/ttyS0").baud(5_000_000).build())
                .hasMessage("baud must be from 300 to 4000000, but was 5000000");
        assertThatThrownBy(
                        () -> SerialLinkConfig.builder("/dev/ttyS0").stopBits(3).build())
                .hasMessage("stopBits must be 1 or 2, but was 3");
        assertThatThrownBy(() -> SerialLinkConfig.builder("/dev/ttyS0")
                        .responseTimeout(Duration.ofMillis(5))
                        .build())
                .hasMessage("responseTimeout must be from 10 ms to 60 s, but was 5 ms");
        assertThatThrownBy(() -> SerialLinkConfig.builder(" ").build()).hasMessageStartingWith("port must be");
    }

    @Test
    void f4SectorLayoutRepeatsTheLastSizeUntilTheFlashIsCovered() {
        final FlashLayout layout =
                FlashLayout.sectors(0x08000000L, 1024 * 1024, 16384, 16384, 16384, 16384, 65536, 131072);

        assertThat(layout.pages()).hasSize(12);
        assertThat(layout.pageAt(0x08010000L).index()).isEqualTo(4);
        assertThat(layout.pageAt(0x080FFFFFL).index()).isEqualTo(11);
        assertThat(layout.end()).isEqualTo(0x08100000L);
    }

    @Test
    void theFactoriesAreFoundByTheirComponentIds() {
        assertThat(FlasherFactory.byId("stm32-uart")).hasValueSatisfying(f -> assertThat(
                        f.defaultLink("/dev/x", 115200).build().parity())
                .isEqualTo(Parity.EVEN));
        assertThat(FlasherFactory.byId("avr-optiboot")).hasValueSatisfying(f -> assertThat(
                        f.defaultLink("/dev/x", 115200).build().parity())
                .isEqualTo(Parity.NONE));
        assertThat(FlasherFactory.byId("esptool")).isEmpty();
    }
}
