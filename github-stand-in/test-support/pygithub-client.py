"""Drives the stand-in with PyGithub (Debian package python3-github), a client written elsewhere.

Usage: python3 pygithub-client.py <base_url> <token>
Prints one JSON object describing what PyGithub saw; any exception exits non-zero.
"""
import json
import sys

import github

base_url, token = sys.argv[1], sys.argv[2]
# per_page=2 forces PyGithub to follow Link headers, and it asserts each one stays on base_url's host and path.
gh = github.Github(base_url=f"{base_url}/api/v3", login_or_token=token, per_page=2)

me = gh.get_user()
repo = gh.get_repo("acme/web-app")
deployment = repo.create_deployment(
    ref="main", auto_merge=False, required_contexts=[], environment="staging", description="from PyGithub"
)
status = deployment.create_status("in_progress", description="rolling out")

try:
    github.Github(base_url=f"{base_url}/api/v3", login_or_token="gho_" + "x" * 36).get_user().login
    bad_credentials = "accepted"
except github.BadCredentialsException as error:
    bad_credentials = error.data.get("message")

print(json.dumps({
    "login": me.login,
    "email": me.email,
    "repositories": [r.full_name for r in me.get_repos()],
    "orgs": [o.login for o in me.get_orgs()],
    "push_on_web_app": repo.permissions.push,
    "linus_permission": repo.get_collaborator_permission("linus"),
    "deployment_environment": deployment.environment,
    "deployment_status": status.state,
    "bad_credentials": bad_credentials,
}))
