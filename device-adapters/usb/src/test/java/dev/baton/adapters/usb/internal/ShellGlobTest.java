package dev.baton.adapters.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellGlobTest {

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(
            delimiter = ';',
            textBlock =
                    """
            ttyUSB*        ; ttyUSB0     ; true
            ttyUSB*        ; ttyACM0     ; false
            tty???0        ; ttyUSB0     ; true
            tty???0        ; ttyUSB10    ; false
            2ff[0-9a-f]    ; 2ff4        ; true
            2ff[0-9a-f]    ; 2ffg        ; false
            [!0]403        ; 0403        ; false
            [!0]403        ; 1403        ; true
            [^0]403        ; 1403        ; true
            0403|10c4      ; 10c4        ; true
            0403|10c4      ; 0403|10c4   ; false
            a.b            ; axb         ; false
            a+             ; aa          ; false
            a+             ; a+          ; true
            []]            ; ]           ; true
            [a-]           ; -           ; true
            *              ; ''          ; true
            """)
    void matchesTheWholeValueWithUdevGlobSyntax(final String glob, final String value, final boolean expected) {
        assertThat(ShellGlob.compile(glob).matches(value == null ? "" : value)).isEqualTo(expected);
    }
}
