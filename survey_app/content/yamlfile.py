"""Read YAML so that every mapping remembers its lines and duplicate keys are caught."""

import re

import yaml

from .problems import Problem


class LineMapping(dict):
    """A dict that knows the line of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key) -> int | None:
        """Return the line of key, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """SafeLoader with line numbers, duplicate detection and YAML 1.2 booleans."""

    def __init__(self, stream, *, file: str):
        super().__init__(stream)
        self.file = file
        self.duplicates: list[Problem] = []

    def construct_mapping(self, node, deep=False):
        mapping = LineMapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a word or a number", key_node.start_mark
                )
            if key in mapping:
                self.duplicates.append(
                    Problem(
                        self.file,
                        line,
                        f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                        "give each key a unique name, or remove one of them",
                    )
                )
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line
        return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)

# YAML 1.1 reads yes/no/on/off as booleans, which turns an option 'no' into False.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(text: str, *, file: str) -> tuple[object, list[Problem]]:
    """Return the parsed document and the problems found while reading it."""
    if "\x00" in text:
        return None, [Problem(file, None, "the file contains a null byte", "save it as UTF-8 text")]
    loader = _Loader(text, file=file)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, [
            Problem(
                file,
                line,
                f"this is not valid YAML ({reason})",
                "check the indentation and put text with ': ' or '#' in quotes",
            )
        ]
    finally:
        loader.dispose()
    return document, loader.duplicates
