"""`StoredIntentClassifier`: the part Rasa's graph asks of an intent classifier whose training result is one file.

Rasa creates a trainable component with `create`, trains it, and in the served model builds it again with
`load` from what `train` wrote to its resource. Subclasses say how their result is written (`write`), read
(`read`) and put to use (`use`); a component that was never trained (no NLU data, too few intents) loads
with `use(None)` and changes nothing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier


class StoredIntentClassifier(GraphComponent, IntentClassifier):
    FILE: str  # the file name of the training result inside the component's resource

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, trained: Any = None
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.use(trained)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "StoredIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "StoredIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                trained = cls.read(directory / cls.FILE)
        except (ValueError, FileNotFoundError):  # never trained
            trained = None
        return cls(config, model_storage, resource, trained)

    def store(self, trained: Any) -> Resource:
        """Put the training result to use and write it to the resource; what `train` returns."""
        self.use(trained)
        with self._model_storage.write_to(self._resource) as directory:
            self.write(trained, directory / self.FILE)
        return self._resource

    def use(self, trained: Optional[Any]) -> None:
        raise NotImplementedError

    @staticmethod
    def read(path: Path) -> Any:
        raise NotImplementedError

    @staticmethod
    def write(trained: Any, path: Path) -> None:
        raise NotImplementedError
