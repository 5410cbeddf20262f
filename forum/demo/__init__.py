"""A realistic French alternance community for development and showcases.

`python manage.py seed_demo --password PASSWORD` runs `forum.demo.steps.run`:
members and demo accounts (forum/demo/members.py), then threads (one
Markdown file each in forum/demo/content/threads/, read by
forum/demo/threads.py), each step idempotent. See steps.py to add a step.
"""
