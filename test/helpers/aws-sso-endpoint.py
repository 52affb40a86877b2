"""Debian's AWS CLI v2 (2.9) with its SSO portal client pointed at an emulator.

That version reads no AWS_ENDPOINT_URL and has no endpoint setting for the SSO credential
provider, which builds its `sso` client itself; this wrapper gives that client (and only it) the
emulator's URL, then runs the CLI unchanged: `python3 aws-sso-endpoint.py URL <aws arguments>`.
Needs PYTHONPATH=/usr/lib/python3/dist-packages (where Debian installs awscli).
"""
import sys

from awscli.clidriver import main
from botocore.session import Session  # the botocore awscli itself imports

endpoint = sys.argv.pop(1)
create_client = Session.create_client


def create_client_with_sso_endpoint(self, service_name, *args, **kwargs):
    if service_name == "sso" and not kwargs.get("endpoint_url"):
        kwargs["endpoint_url"] = endpoint
    return create_client(self, service_name, *args, **kwargs)


Session.create_client = create_client_with_sso_endpoint
sys.exit(main())
