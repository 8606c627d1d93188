package dev.baton.adapters.onvif.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses what cameras and the network send with the JDK's DOM parser, hardened: a document type declaration is
 * refused outright (no external entities, no entity expansion bombs), nothing is fetched, and the parser never
 * prints to stderr. Callers bound the input's size before parsing. Thread-safe: one parser per thread.
 */
final class SecureXml {

    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SecureXml::newBuilder);

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(final SAXParseException exception) {}

        @Override
        public void error(final SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(final SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private SecureXml() {}

    /**
     * Parses {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws MalformedXmlException when the bytes are not a well-formed namespace-aware XML document, or declare a
     *     document type
     */
    static @NotNull Document parse(final byte @NotNull [] data, final int offset, final int length) {
        final DocumentBuilder builder = BUILDER.get();
        try {
            return builder.parse(new ByteArrayInputStream(data, offset, length));
        } catch (final SAXParseException e) {
            throw new MalformedXmlException("is not well-formed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber()
                    + (e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                            ? " (a document type declaration is refused)"
                            : ""));
        } catch (final SAXException e) {
            throw new MalformedXmlException("is not well-formed XML");
        } catch (final IOException e) {
            throw new MalformedXmlException("could not be read as XML");
        } finally {
            builder.reset();
            builder.setErrorHandler(THROWING);
        }
    }

    private static DocumentBuilder newBuilder() {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setIgnoringComments(true);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            final DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(THROWING);
            return builder;
        } catch (final ParserConfigurationException | IllegalArgumentException e) {
            // The JDK's own parser supports all of these; another one on the class path that does not is unsafe.
            throw new IllegalStateException(
                    "the XML parser " + factory.getClass().getName() + " cannot be hardened against external entities",
                    e);
        }
    }

    /** The first child element of {@code parent} named {@code namespace}:{@code localName}, if any. */
    static @NotNull Optional<Element> child(
            final @Nullable Element parent, final @NotNull String namespace, final @NotNull String localName) {
        if (parent == null) {
            return Optional.empty();
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** The child elements of {@code parent} named {@code namespace}:{@code localName}, in document order. */
    static @NotNull List<Element> children(
            final @NotNull Element parent, final @NotNull String namespace, final @NotNull String localName) {
        final List<Element> out = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                out.add(element);
            }
        }
        return out;
    }

    /** The first child element of {@code parent}, whatever its name. */
    static @NotNull Optional<Element> firstChildElement(final @NotNull Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** Follows a path of child elements in one namespace, e.g. {@code path(root, TT, "Info", "HwAddress")}. */
    static @NotNull Optional<Element> path(
            final @Nullable Element from, final @NotNull String namespace, final @NotNull String... localNames) {
        Optional<Element> at = Optional.ofNullable(from);
        for (final String localName : localNames) {
            at = at.flatMap(element -> child(element, namespace, localName));
        }
        return at;
    }

    /** The trimmed text of an element, or empty when it is absent or blank. */
    static @NotNull Optional<String> text(final @NotNull Optional<Element> element) {
        return element.map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    static boolean is(final @NotNull Element element, final @NotNull String namespace, final @NotNull String local) {
        return local.equals(element.getLocalName()) && namespace.equals(element.getNamespaceURI());
    }
}
