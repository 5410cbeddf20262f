from rest_framework.metadata import BaseMetadata


class MinimalMetadata(BaseMetadata):
    """OPTIONS answers with the allowed methods (the Allow header) and nothing
    else. DRF's SimpleMetadata builds every view's serializers to describe
    them: a cost per request, internals shown to anyone, and a crash on views
    whose serializers need a real object."""

    def determine_metadata(self, request, view) -> dict:
        return {"name": view.get_view_name()}
