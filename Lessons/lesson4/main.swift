print("lesson4: coming soon")
