"""`field__among=ids`: membership in a list of ids sent as one parameter (an
array on PostgreSQL, JSON on SQLite).

`field__in=ids` makes a parameter of each id, each prepared through the field:
for a few hundred ids (a search's ranked pool) that cost more CPU than the
query, and its SQL changes with the number of ids, so no such query could be
compiled once (forum/compiled_sql.py). With `among`, the SQL is the same
whatever the ids, and the list goes to the driver as it is.
"""

import json

from django.db.models import Field, ForeignObject, Lookup


class Among(Lookup):
    lookup_name = "among"
    # The list is the parameter itself: not prepared as one value of the field.
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            # The list as it came: a compiled query finds its marker there.
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(list(self.rhs))]


def register() -> None:
    # A foreign key's lookups are its own class's (a key's column, `question_id__among`).
    for field in (Field, ForeignObject):
        field.register_lookup(Among)
