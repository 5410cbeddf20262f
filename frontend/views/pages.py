from django.http import HttpResponse


def home(request):
    return HttpResponse("ok")


def thread(request, pk):
    return HttpResponse("ok")


def profile(request, username):
    return HttpResponse("ok")
