package dev.baton.cli;

import picocli.CommandLine;

/**
 * {@code --version} of the hub's commands ({@code baton}, {@code baton-hub}): the command's name and the version in
 * the jar manifest, or "(development build)" when run from classes.
 */
public final class JarVersion implements CommandLine.IVersionProvider {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String[] getVersion() {
        final String version = JarVersion.class.getPackage().getImplementationVersion();
        return new String[] {spec.name() + ' ' + (version == null ? "(development build)" : version)};
    }
}
