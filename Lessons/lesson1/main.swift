print("lesson1: coming soon")
