/**
 * How the external tool wrappers work: one {@link dev.baton.adapters.mcu.external.internal.ToolDriver} per tool
 * (arguments, output parsing, failure patterns), the process runner with its timeout and bounded output, and the
 * setting checks. Nothing here is API; use {@link dev.baton.adapters.mcu.external.ExternalFlashers}.
 */
package dev.baton.adapters.mcu.external.internal;
