package dev.baton.adapters.mcu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteWindowsTest {

    @Test
    void blocksAreAlignedToTheBlockSizeTrimmedToTheImageAndPaddedWithFfToTheWordSize() {
        final FirmwareImage image = FirmwareImage.builder()
                .add(0x08000002L, new byte[] {1, 2, 3}) // bytes 2..4 of the first block
                .add(0x080001FEL, new byte[] {4, 5, 6, 7}) // crosses from block 1 into block 2
                .build();

        final List<WriteWindows.Window> windows = WriteWindows.of(image, 256, 4);

        assertThat(windows)
                .extracting(WriteWindows.Window::address)
                .containsExactly(0x08000000L, 0x080001FCL, 0x08000200L);
        assertThat(windows.get(0).data()).containsExactly(0xFF, 0xFF, 1, 2, 3, 0xFF, 0xFF, 0xFF);
        assertThat(windows.get(1).data()).containsExactly(0xFF, 0xFF, 4, 5);
        assertThat(windows.get(2).data()).containsExactly(6, 7, 0xFF, 0xFF);
    }

    @Test
    void aWindowSpanningTwoSmallPagesTouchesBoth() {
        final FlashLayout layout = FlashLayout.uniform(0x08000000L, 128, 8);
        final FirmwareImage image = FirmwareImage.ofBinary(new byte[512], 0x08000000L);
        final List<WriteWindows.Window> windows = WriteWindows.of(image, 256, 4);

        assertThat(WriteWindows.pagesOf(List.of(windows.get(1)), layout)).containsExactly(2, 3);
        assertThat(WriteWindows.touching(windows, List.of(3), layout)).containsExactly(windows.get(1));
    }
}
