"""Hatchling build hook: turns the pure-Python golit package into a platform wheel.

build-wheels.sh cross-compiles golit into build/<goos>-<goarch>/ and writes the
kernelspec there (kernelspec/), then builds one wheel per platform with
GOLIT_WHEEL_PLATFORM=<goos>-<goarch>. This hook adds that platform's binary as a
wheel script (pip puts it in the environment's bin/ or Scripts\\), the
kernelspec as wheel data (pip puts it in {sys.prefix}/share/jupyter/kernels/golit,
where Jupyter looks), and the platform's wheel tag, so that pip refuses the wheel
on any other platform.
"""

import os
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# Go's GOOS-GOARCH -> wheel platform tags. A CGO_ENABLED=0 Go binary on Linux
# is static, so it runs on any glibc (manylinux) and musl (musllinux) system.
# Go 1.26 needs macOS 12 or later.
PLATFORMS = {
    "linux-amd64": "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64",
    "linux-arm64": "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64",
    "darwin-amd64": "macosx_12_0_x86_64",
    "darwin-arm64": "macosx_12_0_arm64",
    "windows-amd64": "win_amd64",
}


class GolitBinaryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        platform = os.environ.get("GOLIT_WHEEL_PLATFORM", "")
        if platform not in PLATFORMS:
            raise RuntimeError(
                f"GOLIT_WHEEL_PLATFORM={platform!r}: build the wheel with build-wheels.sh "
                f"(platforms: {', '.join(PLATFORMS)})"
            )
        built = Path(self.root) / "build" / platform
        exe = "golit.exe" if platform.startswith("windows") else "golit"
        binary = built / exe
        spec = built / "kernelspec"
        for p in (binary, spec / "kernel.json"):
            if not p.is_file():
                raise RuntimeError(f"{p} is missing: run build-wheels.sh {platform}")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{PLATFORMS[platform]}"
        build_data["shared_scripts"][str(binary)] = exe
        for f in sorted(spec.iterdir()):
            build_data["shared_data"][str(f)] = f"share/jupyter/kernels/golit/{f.name}"
