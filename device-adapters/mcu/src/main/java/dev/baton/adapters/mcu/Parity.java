package dev.baton.adapters.mcu;

/** The UART parity bit. */
public enum Parity {
    NONE,
    /** What the STM32 system bootloader needs (AN3155 §2: 8 data bits, even parity, 1 stop bit). */
    EVEN,
    ODD
}
