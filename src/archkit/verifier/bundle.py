"""The worker's Lambda code as a container image asset: a build context with archkit's spec and verify
layers, the spec, pinned requirements and a Dockerfile on AWS's Lambda Python base image.

Synthesis only writes the context (offline, no Docker); `cdk deploy` builds and pushes the image. An image
rather than a zip: pydantic-core is a compiled wheel, and an image installs the wheels for the image's
own Python and architecture, so the machine that synthesizes need not match Lambda's runtime (and the
function is not tied to a runtime version that Lambda deprecates). boto3 comes with the base image.
"""

from __future__ import annotations

import platform
import shutil
from importlib import metadata
from pathlib import Path

BASE_IMAGE = "public.ecr.aws/lambda/python:3.13"
ARCHKIT_PARTS = ("__init__.py", "io.py", "wording.py", "spec", "verify", "verifier")
"""What the worker imports of archkit (no cdk, diagram, docs or cli)."""
REQUIREMENTS = (
    "pydantic",
    "pydantic-core",
    "annotated-types",
    "typing-extensions",
    "typing-inspection",
    "PyYAML",
)
"""Distributions the bundled layers import, pinned at the versions archkit was tested with here."""
TASK_ROOT = "/var/task"
SPEC_DIR = "spec"
HANDLER = "archkit.verifier.worker.handler"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def architecture() -> str:
    """``x86_64`` or ``arm64`` (Lambda's names): the image is built where `cdk deploy` runs."""
    return "arm64" if platform.machine().lower() in {"aarch64", "arm64"} else "x86_64"


def requirements_text() -> str:
    return "".join(f"{name}=={metadata.version(name)}\n" for name in REQUIREMENTS)


def dockerfile_text() -> str:
    return (
        f"FROM {BASE_IMAGE}\n"
        "COPY requirements.txt ${LAMBDA_TASK_ROOT}/\n"
        "RUN pip install --no-cache-dir -r ${LAMBDA_TASK_ROOT}/requirements.txt -t ${LAMBDA_TASK_ROOT}\n"
        "COPY archkit ${LAMBDA_TASK_ROOT}/archkit\n"
        f"COPY {SPEC_DIR} ${{LAMBDA_TASK_ROOT}}/{SPEC_DIR}\n"
        f'CMD ["{HANDLER}"]\n'
    )


def write_bundle(spec_path: Path, dest: Path) -> str:
    """Write the image's build context; returns the spec's path inside the function (``ARCHKIT_SPEC``)."""
    import archkit

    package = Path(archkit.__file__).parent
    (dest / "archkit").mkdir(parents=True)
    for part in ARCHKIT_PARTS:
        source = package / part
        if source.is_dir():
            shutil.copytree(source, dest / "archkit" / part, ignore=_IGNORE)
        else:
            shutil.copyfile(source, dest / "archkit" / part)
    (dest / SPEC_DIR).mkdir()
    shutil.copyfile(spec_path, dest / SPEC_DIR / spec_path.name)
    (dest / "requirements.txt").write_text(requirements_text(), encoding="utf-8")
    (dest / "Dockerfile").write_text(dockerfile_text(), encoding="utf-8")
    return f"{TASK_ROOT}/{SPEC_DIR}/{spec_path.name}"
