"""The web side: blueprints, forms, templates helpers and the Flask glue around the domain modules."""
