package dev.baton.adapters.onvif.internal;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** SOAP 1.2 envelopes for ONVIF requests (ONVIF Core Specification, "Web services framework"). */
final class Soap {

    private Soap() {}

    /**
     * A request envelope with {@code body} (one element, prefixes {@code tds}, {@code trt}, {@code tt} declared)
     * and, when given, a {@code wsse:Security} header.
     */
    static @NotNull String envelope(final @Nullable String securityHeader, final @NotNull String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<s:Envelope xmlns:s=\"" + Namespaces.SOAP12 + "\" xmlns:tds=\"" + Namespaces.TDS
                + "\" xmlns:trt=\"" + Namespaces.TRT + "\" xmlns:tt=\"" + Namespaces.TT + "\">"
                + (securityHeader == null ? "" : "<s:Header>" + securityHeader + "</s:Header>")
                + "<s:Body>" + body + "</s:Body></s:Envelope>";
    }

    /** Escapes text for element content and attribute values. */
    static @NotNull String escape(final @NotNull String text) {
        final StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
