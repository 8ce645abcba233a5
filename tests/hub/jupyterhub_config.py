"""JupyterHub's configuration for tests/hub/test_hub.py: test-only login, one local process per
learner, everything on 127.0.0.1. The test writes the settings file named by JDM_HUB_SETTINGS.

Not a configuration for a real hub: its DummyAuthenticator accepts one shared password and its
spawner makes up home folders. docs/jupyterhub.md says what a real hub needs.
"""

import json
import os

from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)
with open(os.environ["JDM_HUB_SETTINGS"], encoding="utf-8") as handle:
    settings = json.load(handle)


class LearnerSpawner(SimpleLocalProcessSpawner):
    """A home folder per learner; run as the learner's own uid when the hub runs as root, so
    that the course's environment (owned by root) is read-only for them, as on a real hub."""

    def make_preexec_fn(self, name):
        home, uid = self.home_dir, settings["uids"].get(name)

        def preexec():
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(home)

        return preexec


c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.auth_token = settings["proxy_token"]
c.ConfigurableHTTPProxy.pid_file = os.path.join(settings["state"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(settings["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(settings["state"], "cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the learners' servers
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = settings["password"]
c.Authenticator.allowed_users = set(settings["users"])
c.JupyterHub.services = [{"name": "hub-test", "api_token": settings["api_token"]}]
c.JupyterHub.load_roles = [{
    "name": "hub-test",
    "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers"],
    "services": ["hub-test"],
}]  # fmt: skip

c.JupyterHub.spawner_class = LearnerSpawner
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(settings["homes"], "{username}")
c.Spawner.cmd = [settings["singleuser"]]
if settings["allow_root"]:  # learners run as the test's user, here root
    c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180  # five servers start at once on two shared cores
c.Spawner.http_timeout = 180
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]
c.Spawner.environment = settings["environment"] | {
    # the learner's kernels import `helpers` from the learner's own copy (docs/jupyterhub.md)
    "PYTHONPATH": lambda spawner: os.path.join(spawner.home_dir, settings["folder"]),
}
