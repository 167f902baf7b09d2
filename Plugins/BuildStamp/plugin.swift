import Foundation
import PackagePlugin

/// Writes `BuildStamp.swift` (`let buildCommit = "…"`) before every build of the target it is
/// applied to: the commit of the source tree (git's short hash, `+` when files differ from it),
/// or `unknown` outside a git checkout. The file is rewritten only when the stamp changes, so an
/// unchanged tree does not rebuild.
@main
struct BuildStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Stamp")
        let script = #"""
            set -e
            mkdir -p "$2"
            c=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$c" != unknown ] && ! git -C "$1" diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then c="$c+"; fi
            printf '/// The commit this binary was built from (written by the BuildStamp plugin).\nlet buildCommit = "%s"\n' "$c" > "$2/BuildStamp.swift.new"
            if cmp -s "$2/BuildStamp.swift.new" "$2/BuildStamp.swift"; then rm "$2/BuildStamp.swift.new"; else mv "$2/BuildStamp.swift.new" "$2/BuildStamp.swift"; fi
            """#
        return [.prebuildCommand(displayName: "Stamping the build with its commit", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "stamp", context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
