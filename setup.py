"""Packaging for chatwoot_client (distribution name: chatwoot-messages-client)."""

import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "chatwoot_client", "_version.py"), encoding="utf-8") as handle:
    VERSION = handle.read().split('__version__ = "')[1].split('"')[0]

# A link whose target is a file of the source tree ([text](docs/Message.md#anchor), [text](CHANGELOG.md)).
_FILE_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z][a-z0-9+.-]*:)([^)#\s]+)(?:#[^)\s]*)?\)")

# A link to a heading of the README itself ([text](#anchor)): an index page does not give headings anchors.
_ANCHOR_LINK = re.compile(r"\[([^\]]+)\]\(#[^)\s]*\)")


def index_page(readme: str) -> str:
    """The README as a package index shows it: there a link to a file of the source tree has no target, so each
    becomes its text followed by the file's path (the file is in the source distribution), and a link to one of
    the README's own headings becomes the section's name."""

    def as_text(match: "re.Match[str]") -> str:
        text, path = match.group(1), match.group(2)
        return f"`{path}`" if text.strip("`*") == path else f"{text} (`{path}`)"

    return _ANCHOR_LINK.sub(r"section *\1*", _FILE_LINK.sub(as_text, readme))


with open(os.path.join(HERE, "README.md"), encoding="utf-8") as handle:
    LONG_DESCRIPTION = index_page(handle.read())

if __name__ == "__main__":  # as setuptools runs it; test/test_packaging.py loads it under another name
    setup(
        name="chatwoot-messages-client",
        version=VERSION,
        description="A typed Python SDK for Chatwoot's Messages API, with a mock server for tests",
        long_description=LONG_DESCRIPTION,
        long_description_content_type="text/markdown",
        license="MIT",  # an SPDX expression (PEP 639): no license classifier beside it
        license_files=["LICENSE"],
        python_requires=">=3.9",
        packages=find_packages(include=["chatwoot_client", "chatwoot_client.*"]),
        package_data={"chatwoot_client": ["py.typed"]},
        install_requires=["urllib3>=1.26,<3", "six>=1.10", "certifi", "python-dateutil>=2.8"],
        entry_points={"console_scripts": ["chatwoot-client=chatwoot_client.cli:main"]},
        keywords=["chatwoot", "sdk", "api", "messages", "agent bot"],
        classifiers=[
            "Development Status :: 5 - Production/Stable",
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: 3 :: Only",
            "Programming Language :: Python :: 3.9",
            "Programming Language :: Python :: 3.10",
            "Programming Language :: Python :: 3.11",
            "Programming Language :: Python :: 3.12",
            "Programming Language :: Python :: 3.13",
            "Programming Language :: Python :: 3.14",
            "Typing :: Typed",
            "Operating System :: OS Independent",
            "Intended Audience :: Developers",
            "Topic :: Communications :: Chat",
            "Topic :: Software Development :: Libraries",
        ],
    )
