package dev.baton.adapters.onvif.internal;

import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Element;

/**
 * Reads a SOAP 1.2 fault (SOAP 1.2 Part 1, section 5.4): its code, subcodes and reason. ONVIF devices report a
 * refused UsernameToken as {@code env:Sender} with subcode {@code ter:NotAuthorized} (ONVIF Core Specification,
 * "Error handling"); some use WS-Security's {@code wsse:FailedAuthentication} instead, which counts the same.
 */
final class SoapFaults {

    private static final int MAX_REASON_CHARS = 200;

    private SoapFaults() {}

    static @NotNull SoapCallException toException(final @NotNull Element fault, final int httpStatus) {
        final List<String> codes = new ArrayList<>();
        Optional<Element> code = SecureXml.child(fault, Namespaces.SOAP12, "Code");
        while (code.isPresent() && codes.size() < 8) {
            final Element at = code.get();
            SecureXml.text(SecureXml.child(at, Namespaces.SOAP12, "Value")).ifPresent(value -> codes.add(value));
            code = SecureXml.child(at, Namespaces.SOAP12, "Subcode");
        }
        final boolean notAuthorized = codes.stream()
                .map(SoapFaults::localPart)
                .anyMatch(local -> local.equals("NotAuthorized") || local.equals("FailedAuthentication"));
        final String reason = SecureXml.text(SecureXml.path(fault, Namespaces.SOAP12, "Reason", "Text"))
                .map(text -> Names.printable(
                        text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "…" : text))
                .orElse("no reason given");
        final String described = "SOAP fault " + Names.printable(String.join("/", codes)) + " (HTTP " + httpStatus
                + ", \"" + reason + "\")";
        return new SoapCallException(
                notAuthorized ? SoapCallException.Reason.NOT_AUTHORIZED : SoapCallException.Reason.FAULT,
                "answered with " + described);
    }

    private static String localPart(final String qname) {
        return qname.substring(qname.indexOf(':') + 1);
    }
}
