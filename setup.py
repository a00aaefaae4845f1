"""Packaging for chatwoot_client (distribution name: chatwoot-messages-client)."""

import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "chatwoot_client", "_version.py"), encoding="utf-8") as handle:
    VERSION = handle.read().split('__version__ = "')[1].split('"')[0]

with open(os.path.join(HERE, "README.md"), encoding="utf-8") as handle:
    LONG_DESCRIPTION = handle.read()

setup(
    name="chatwoot-messages-client",
    version=VERSION,
    description="A typed Python SDK for Chatwoot's Messages API, with a mock server for tests",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    packages=find_packages(include=["chatwoot_client", "chatwoot_client.*"]),
    package_data={"chatwoot_client": ["py.typed"]},
    install_requires=["urllib3>=1.26,<3", "six>=1.10", "certifi", "python-dateutil>=2.8"],
    entry_points={"console_scripts": ["chatwoot-client=chatwoot_client.cli:main"]},
    keywords=["chatwoot", "sdk", "api", "messages", "agent bot"],
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Typing :: Typed",
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
        "Intended Audience :: Developers",
    ],
)
