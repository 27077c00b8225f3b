# An unmodified Flask app for tests/integration/WsgiTest.cpp, made by a factory
# (module = flask_app:create_app()) and wrapped in wsgiref.validate.validator.
from wsgiref.validate import validator

from flask import Flask, abort, jsonify, redirect, request, url_for


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "index links to " + url_for("item", name="x")

    @app.route("/item/<name>")
    def item(name):
        return jsonify(name=name, link=url_for("item", name=name),
                       external=url_for("item", name=name, _external=True))

    @app.route("/go")
    def go():
        return redirect(url_for("index"))

    @app.route("/missing")
    def missing():
        abort(404)

    @app.route("/form", methods=["POST"])
    def form():
        return jsonify(fields=request.form.to_dict(), method=request.method)

    return validator(app)
