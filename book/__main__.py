from .cli import run

if __name__ == "__main__":  # a worker process started by `spawn` imports this module again: it must not build
    run()
