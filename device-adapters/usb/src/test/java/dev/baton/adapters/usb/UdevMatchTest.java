package dev.baton.adapters.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdevMatchTest {

    private static final UdevLevel TTY = new UdevLevel("ttyACM0", "tty", null, Map.of("dev", "166:0"));
    private static final UdevLevel INTERFACE =
            new UdevLevel("1-1.2:1.0", "usb", "cdc_acm", Map.of("bInterfaceClass", "02"));
    private static final UdevLevel DEVICE = new UdevLevel(
            "1-1.2", "usb", "usb", Map.of("idVendor", "2e8a", "idProduct", "0005", "serial", "e6614c311b7e6a35"));
    private static final List<UdevLevel> TTY_PATH = List.of(TTY, INTERFACE, DEVICE);
    private static final List<UdevLevel> DEVICE_PATH = List.of(DEVICE);

    @Test
    void termsAreParsedWithKeyAttributeOperatorAndValue() {
        final UdevMatch match =
                UdevMatch.parse(" ATTRS{idVendor}==\"2e8a\",ATTRS{idProduct} != \"0003\" ,  KERNEL==\"tty*\"");

        assertThat(match.terms())
                .containsExactly(
                        new UdevMatch.Term(UdevMatch.Key.ATTRS, "idVendor", true, "2e8a"),
                        new UdevMatch.Term(UdevMatch.Key.ATTRS, "idProduct", false, "0003"),
                        new UdevMatch.Term(UdevMatch.Key.KERNEL, null, true, "tty*"));
    }

    @ParameterizedTest(name = "{0} on the tty path: {1}")
    @CsvSource(
            delimiter = ';',
            textBlock =
                    """
            SUBSYSTEM=="tty"                                        ; true
            SUBSYSTEM=="usb"                                        ; false
            SUBSYSTEMS=="usb"                                       ; true
            DRIVER=="cdc_acm"                                       ; false
            DRIVERS=="cdc_acm"                                      ; true
            ATTRS{idVendor}=="2e8a", ATTRS{idProduct}=="0005"       ; true
            ATTRS{idVendor}=="2e8a", ATTRS{bInterfaceClass}=="02"   ; false
            ATTR{idVendor}=="2e8a"                                  ; false
            KERNEL=="ttyACM[0-9]"                                   ; true
            KERNEL=="ttyACM[!0-9]"                                  ; false
            KERNELS=="1-1.?"                                        ; true
            ATTRS{idVendor}=="0403|2e8a"                            ; true
            ATTRS{idVendor}=="2E8A"                                 ; false
            ATTRS{nothing}!="x"                                     ; true
            ATTRS{nothing}=="*"                                     ; false
            SUBSYSTEM!="tty"                                        ; false
            """)
    void matchesAsUdevRulesDo(final String expression, final boolean expected) {
        assertThat(UdevMatch.parse(expression).matches(TTY_PATH)).isEqualTo(expected);
    }

    @Test
    void deviceLevelKeysLookAtTheDeviceItselfOnly() {
        assertThat(UdevMatch.parse("SUBSYSTEM==\"usb\", ATTR{idVendor}==\"2e8a\"")
                        .matches(DEVICE_PATH))
                .isTrue();
        assertThat(UdevMatch.parse("DRIVERS==\"cdc_acm\"").matches(DEVICE_PATH))
                .as("interfaces are children of the device, not parents")
                .isFalse();
        assertThat(UdevMatch.parse("SUBSYSTEM==\"usb\"").matches(List.of())).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            textBlock =
                    """
            ''                                   | 1  | is empty; expected a key
            'ATTRS{idVendor}="0483"'             | 16 | assignments do not belong in a match; expected '==' or '!=' after ATTRS{idVendor}
            'ATTRS{idVendor}:="0483"'            | 16 | assignments do not belong in a match
            'ENV{ID_VENDOR}=="x"'                | 1  | unknown key 'ENV'; match takes KERNEL, SUBSYSTEM, DRIVER, ATTR{name}, KERNELS
            'subsystem=="tty"'                   | 1  | unknown key 'subsystem' (keys are upper case)
            'ATTRS=="x"'                         | 6  | expected '{' and an attribute name after ATTRS
            'ATTRS{}=="x"'                       | 7  | expected an attribute name
            'ATTRS{id Vendor}=="x"'              | 9  | expected '}' to close the attribute name, but found ' '
            'KERNEL{x}=="a"'                     | 7  | KERNEL takes no attribute name
            'KERNEL<"a"'                         | 7  | expected '==' or '!=' after KERNEL, but found '<'
            'KERNEL==a'                          | 9  | expected a double-quoted value after KERNEL==, but found 'a'
            'KERNEL=="tty'                       | 9  | the value of KERNEL opened here has no closing '"'
            'KERNEL=="tty[0-9"'                  | 13 | '[' has no closing ']' in the value of KERNEL
            'KERNEL=="[z-a]"'                    | 11 | range 'z-a' runs backwards in the value of KERNEL
            'KERNEL=="a" KERNEL=="b"'            | 13 | expected ',' between keys or the end, but found 'K'
            'KERNEL=="a",'                       | 13 | expected a key after ','
            'KERNEL=="a", ,'                     | 14 | expected a key
            """)
    void malformedExpressionIsRefusedNamingThePosition(
            final String expression, final int position, final String problem) {
        assertThatThrownBy(() -> UdevMatch.parse(expression == null ? "" : expression))
                .isInstanceOfSatisfying(MatchSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith("at position " + position + ": ");
                });
    }

    @Test
    void overlongExpressionsAndTooManyKeysAreRefused() {
        assertThatThrownBy(() -> UdevMatch.parse("KERNEL==\"" + "a".repeat(UdevMatch.MAX_CHARS) + "\""))
                .isInstanceOf(MatchSyntaxException.class)
                .hasMessageContaining("must not exceed 1024 characters");
        final String seventeen = String.join(", ", java.util.Collections.nCopies(17, "KERNEL==\"a\""));
        assertThatThrownBy(() -> UdevMatch.parse(seventeen))
                .isInstanceOf(MatchSyntaxException.class)
                .hasMessageContaining("must not hold more than 16 keys");
    }

    @Test
    void valuesAreGlobsNotRegularExpressions() {
        final List<UdevLevel> dotted = List.of(new UdevLevel("a.b", "tty", null, Map.of()));

        assertThat(UdevMatch.parse("KERNEL==\"a.b\"").matches(dotted)).isTrue();
        assertThat(UdevMatch.parse("KERNEL==\"a.b\"").matches(List.of(new UdevLevel("axb", "tty", null, Map.of()))))
                .isFalse();
        assertThat(UdevMatch.parse("KERNEL==\"(a|x).b\"").matches(dotted)).isFalse();
        assertThat(UdevMatch.parse("KERNEL==\"a\\.b\"").matches(dotted)).isFalse();
    }
}
