from asgiref.sync import async_to_sync, sync_to_async
from django.core.management.base import BaseCommand, CommandError

from forum.demo.members import DEMO_ACCOUNTS
from forum.demo.steps import DemoDataConflict, SeedContext, run


async def _run_beside_one_event_loop(password: str) -> SeedContext:
    """The services send each event to the channel layer with async_to_sync.
    Called from a plain command, every send would start its own event loop and
    so its own Redis connection (~40 ms each, half a minute for the whole
    demo); run from here, in this same thread, they all share this loop."""
    return await sync_to_async(run, thread_sensitive=True)(password=password)


class Command(BaseCommand):
    help = (
        "Create a realistic French alternance community (members, questions, answers, votes, accepted "
        "answers) and the demo accounts demo-student, demo-hr and demo-mod. Idempotent: a second run adds "
        "nothing and resets the demo accounts' password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            required=True,
            help="Password of every seeded account (demo-student, demo-hr, demo-mod and the community members).",
        )

    def handle(self, *args, password: str, **options):
        if not password.strip():
            raise CommandError("--password must not be empty.")
        try:
            ctx = async_to_sync(_run_beside_one_event_loop)(password)
        except DemoDataConflict as exc:
            raise CommandError(str(exc)) from exc

        if ctx.created:
            summary = ", ".join(f"{count} {what}" for what, count in ctx.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo community created: {summary}."))
        else:
            self.stdout.write("Demo data already present: nothing added.")
        if ctx.passwords_reset:
            self.stdout.write(f"Password reset for {ctx.passwords_reset} existing demo accounts.")
        accounts = ", ".join(member.username for member in DEMO_ACCOUNTS)
        self.stdout.write(f"Log in as {accounts} with the password you gave.")
