package dev.baton.adapters.onvif.internal;

/** XML namespaces of the messages the handler sends and reads. */
final class Namespaces {

    /** SOAP 1.2 envelope (W3C SOAP 1.2 Part 1), what ONVIF devices speak. */
    static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    /** SOAP 1.1 envelope, accepted from WS-Discovery peers that still use it. */
    static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    /** WS-Addressing 2004/08, the version WS-Discovery 2005/04 (the one ONVIF uses) builds on. */
    static final String WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    /** WS-Discovery 2005/04 (ONVIF Core Specification, "Discovery"). */
    static final String WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    /** ONVIF network: the type {@code dn:NetworkVideoTransmitter}. */
    static final String DN = "http://www.onvif.org/ver10/network/wsdl";
    /** ONVIF device service, and the type {@code tds:Device}. */
    static final String TDS = "http://www.onvif.org/ver10/device/wsdl";
    /** ONVIF media service (Media 1, Profile S). */
    static final String TRT = "http://www.onvif.org/ver10/media/wsdl";
    /** ONVIF schema types. */
    static final String TT = "http://www.onvif.org/ver10/schema";
    /** ONVIF fault subcodes such as {@code ter:NotAuthorized}. */
    static final String TER = "http://www.onvif.org/ver10/error";
    /** OASIS WS-Security 1.0 secext. */
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    /** OASIS WS-Security 1.0 utility ({@code wsu:Created}). */
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

    private Namespaces() {}
}
