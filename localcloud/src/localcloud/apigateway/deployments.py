"""A REST API stage serves the deployment it points at, as API Gateway does.

`CreateDeployment` freezes the API's resources, methods, integrations (with
their mapping templates and integration responses), request validators,
models and authorizers; a stage serves that snapshot until it points at a
newer deployment. An edit after the deployment (a template, a parameter, an
integration's credentials) is not live until the next one: a module whose
deployment does not follow its methods fails here as it fails in AWS. Stage
settings (variables, throttling, logging, usage plans) are read live, as in
API Gateway.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.apigateway import models as apigateway_models

_snapshots: dict[tuple[str, str], DeployedApi] = {}
_lock = threading.Lock()


class DeployedApi:
    """The API as one deployment froze it; anything not frozen is the live API's."""

    def __init__(self, api: Any) -> None:
        self._api = api
        resources = {}
        for resource_id, resource in list(api.resources.items()):
            path = resource.get_path()
            frozen = copy.deepcopy(resource)
            # moto computes a path from the live parents: the snapshot keeps the path it had.
            frozen.get_path = lambda path=path: path
            resources[resource_id] = frozen
        self.resources = resources
        self.request_validators = copy.deepcopy(dict(getattr(api, "request_validators", {}) or {}))
        self.authorizers = copy.deepcopy(dict(getattr(api, "authorizers", {}) or {}))
        self.models = copy.deepcopy(dict(getattr(api, "models", {}) or {}))
        # A resource policy edit takes effect with the next deployment, as in AWS.
        self.policy = getattr(api, "policy", None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)


def deployed(api: Any, stage: Any) -> Any:
    """What `stage` serves: the snapshot of its deployment (the live API if the deployment predates the
    local cloud's process, which cannot happen for state it created itself)."""
    with _lock:
        return _snapshots.get((api.id, getattr(stage, "deployment_id", None) or ""), api)


def install() -> None:
    original_create = apigateway_models.RestAPI.create_deployment
    original_delete = apigateway_models.RestAPI.delete_deployment

    def create_deployment(self: Any, name: str, description: str, stage_variables: Any = None) -> Any:
        deployment = original_create(self, name, description, stage_variables)
        snapshot = DeployedApi(self)
        with _lock:
            _snapshots[(self.id, deployment.id)] = snapshot
        return deployment

    def delete_deployment(self: Any, deployment_id: str) -> Any:
        answer = original_delete(self, deployment_id)
        with _lock:
            _snapshots.pop((self.id, deployment_id), None)
        return answer

    apigateway_models.RestAPI.create_deployment = create_deployment
    apigateway_models.RestAPI.delete_deployment = delete_deployment
