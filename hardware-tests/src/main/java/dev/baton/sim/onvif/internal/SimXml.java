package dev.baton.sim.onvif.internal;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The simulator's own XML reading (independent of the handler's, so that the two check each other): the JDK's
 * DOM parser, namespace-aware, with document type declarations refused.
 */
public final class SimXml {

    public static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    public static final String WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static final String WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    public static final String DN = "http://www.onvif.org/ver10/network/wsdl";
    public static final String TDS = "http://www.onvif.org/ver10/device/wsdl";
    public static final String TRT = "http://www.onvif.org/ver10/media/wsdl";
    public static final String TT = "http://www.onvif.org/ver10/schema";
    public static final String TER = "http://www.onvif.org/ver10/error";
    public static final String WSSE =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static final String WSU =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SimXml::newBuilder);

    private SimXml() {}

    /** Parses {@code length} bytes, or returns empty when they are not well-formed XML. */
    public static @NotNull Optional<Document> parse(final byte @NotNull [] data, final int length) {
        final DocumentBuilder builder = BUILDER.get();
        try {
            return Optional.of(builder.parse(new ByteArrayInputStream(data, 0, length)));
        } catch (final SAXException | java.io.IOException e) {
            return Optional.empty();
        } finally {
            builder.reset();
            builder.setErrorHandler(new DefaultHandler());
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            final DocumentBuilder builder = factory.newDocumentBuilder();
            // DefaultHandler ignores warnings and errors and throws fatal errors, without printing them.
            builder.setErrorHandler(new DefaultHandler());
            return builder;
        } catch (final ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
        }
    }

    public static @NotNull Optional<Element> child(
            final @Nullable Element parent, final @NotNull String namespace, final @NotNull String local) {
        if (parent == null) {
            return Optional.empty();
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && local.equals(element.getLocalName())
                    && namespace.equals(element.getNamespaceURI())) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    public static @NotNull Optional<Element> firstElement(final @NotNull Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    public static @NotNull Optional<String> text(final @NotNull Optional<Element> element) {
        return element.map(e -> e.getTextContent().strip());
    }

    /** Whitespace-separated tokens of an element's text (WS-Discovery lists). */
    public static @NotNull List<String> tokens(final @NotNull Optional<Element> element) {
        final List<String> out = new ArrayList<>();
        text(element).ifPresent(t -> {
            for (final String token : t.split("\\s+")) {
                if (!token.isEmpty()) {
                    out.add(token);
                }
            }
        });
        return out;
    }

    public static @NotNull String escape(final @NotNull String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
