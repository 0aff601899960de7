print("lesson3: coming soon")
