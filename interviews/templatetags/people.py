"""Template filters naming people on pages (see ``ufm.people``): ``{{ user|display_name }}``."""

from django import template

from ufm import people

register = template.Library()

register.filter("display_name", people.display_name)
register.filter("display_name_with_username", people.display_name_with_username)
