"""Renderers: each draws a :class:`~archkit.diagram.model.View` and never looks at the spec."""
